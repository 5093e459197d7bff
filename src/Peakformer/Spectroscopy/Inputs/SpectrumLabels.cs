using System.Globalization;
using Peakformer.Spectroscopy.Models;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// Class indices and names from the labels a text file gives per spectrum: when every label is a non-negative whole
/// number below <see cref="SpectrumTransformerConfig.MaxClasses"/>, label k is class k (classes 0..max, named "0".."max",
/// as an .npz without class_names), whatever the number of rows; otherwise the labels are class names, numbered in
/// ordinal order.
/// </summary>
public static class SpectrumLabels
{
    public static (int[] Labels, string[] Names) Of(IReadOnlyList<string> labels)
    {
        var numbers = new int[labels.Count];
        bool numeric = true;
        for (int i = 0; i < labels.Count && numeric; i++)
            numeric = int.TryParse(labels[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) && numbers[i] < SpectrumTransformerConfig.MaxClasses;
        if (numeric)
        {
            int classes = labels.Count == 0 ? 0 : numbers.Max() + 1;
            return (numbers, Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        var names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => p.k, StringComparer.Ordinal);
        return (labels.Select(l => index[l]).ToArray(), names);
    }
}
