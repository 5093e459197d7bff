namespace Peakformer.Learning.Models;

/// <summary>Labels for the models of one report: the display name, and as much of the file as tells two of one name apart.</summary>
public static class ModelLabels
{
    /// <summary>
    /// "linear model" for a lone model; "linear model (a.safetensors)" and "linear model (b.safetensors)" for two of
    /// one name; "linear model (run1/m.safetensors)" and "linear model (run2/m.safetensors)" when the file names are
    /// equal too; the path as given when the folder names are equal too; and a number (" #2") when nothing else differs
    /// (one file given twice). Entries without a file (classical finders, baselines) keep their names.
    /// </summary>
    public static IReadOnlyList<string> Distinct(IReadOnlyList<(string Name, string? File)> entries)
    {
        var forms = new Func<string, string>[] { Path.GetFileName, ParentAndName, file => file };
        var labels = new string[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var (name, file) = entries[i];
            var alike = Enumerable.Range(0, entries.Count).Where(j => entries[j].Name == name).ToList();
            if (file is null || alike.Count < 2)
            {
                labels[i] = name;
                continue;
            }
            var others = alike.Where(j => j != i && entries[j].File is not null).Select(j => entries[j].File!).ToList();
            var form = forms.FirstOrDefault(f => others.All(other => f(other) != f(file))) ?? forms[^1];
            labels[i] = $"{name} ({form(file)})";
        }
        // One file given twice reads alike whatever is shown of it: number the repeats.
        foreach (var same in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).Where(g => g.Count() > 1))
        {
            int k = 0;
            foreach (int i in same)
                if (++k > 1) labels[i] = $"{labels[i]} #{k}";
        }
        return labels;
    }

    /// <summary>"run1/m.safetensors" for ".../run1/m.safetensors".</summary>
    private static string ParentAndName(string file)
    {
        string? parent = Path.GetFileName(Path.GetDirectoryName(file));
        return string.IsNullOrEmpty(parent) ? Path.GetFileName(file) : $"{parent}/{Path.GetFileName(file)}";
    }
}
