namespace Peakformer.Data.Images;

/// <summary>
/// The names of an image set's classes: a <c>classes.txt</c> beside the data (one name per line) when there is one,
/// Fashion-MNIST's ten names for a folder called fashion-mnist, else "0".."K-1".
/// </summary>
public static class ImageClassNames
{
    /// <summary>Fashion-MNIST's classes in label order (github.com/zalandoresearch/fashion-mnist, "Labels").</summary>
    public static readonly IReadOnlyList<string> FashionMnist =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Most classes a set may have (labels beyond it are taken for a wrong file, not a huge task).</summary>
    public const int MaxClasses = 4096;

    public const string FileName = "classes.txt";

    /// <summary>The names for data in <paramref name="folder"/> whose largest label is <paramref name="maxLabel"/> .</summary>
    public static IReadOnlyList<string> For(string folder, int maxLabel)
    {
        string file = Path.Combine(folder, FileName);
        if (File.Exists(file)) return Read(file);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))).ToLowerInvariant();
        if (name.Replace('_', '-') is "fashion-mnist" or "fashionmnist") return FashionMnist;
        return Numbered(maxLabel + 1);
    }

    /// <summary>"0".."count-1".</summary>
    public static IReadOnlyList<string> Numbered(int count) =>
        Enumerable.Range(0, Math.Max(count, 1)).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>One name per non-empty line, trimmed; duplicates and more than <see cref="MaxClasses"/> names are errors.</summary>
    public static IReadOnlyList<string> Read(string file)
    {
        if (new FileInfo(file).Length > 1 << 20) throw new InputException($"{file}: expected at most 1 MiB of class names, found {new FileInfo(file).Length} bytes");
        var names = File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0) throw new InputException($"{file}: expected one class name per line, found none");
        if (names.Length > MaxClasses) throw new InputException($"{file}: expected at most {MaxClasses} class names, found {names.Length}");
        var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InputException($"{file}: expected distinct class names, found '{twice.Key}' {twice.Count()} times");
        return names;
    }
}
