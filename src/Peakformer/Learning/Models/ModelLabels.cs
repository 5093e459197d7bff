namespace Peakformer.Learning.Models;

/// <summary>Labels for the models of one report: the display name, and the file name only where two would read alike.</summary>
public static class ModelLabels
{
    /// <summary>
    /// "window transformer" for a lone model; "window transformer (a.safetensors)" and "window transformer
    /// (b.safetensors)" for two of one name. Files of one name in different folders keep their paths as given.
    /// Entries without a file (classical finders, baselines) keep their names.
    /// </summary>
    public static IReadOnlyList<string> Distinct(IReadOnlyList<(string Name, string? File)> entries)
    {
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
            string shortName = Path.GetFileName(file);
            bool sameFileName = alike.Any(j => j != i && entries[j].File is { } other && Path.GetFileName(other) == shortName);
            labels[i] = $"{name} ({(sameFileName ? file : shortName)})";
        }
        return labels;
    }
}
