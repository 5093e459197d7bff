using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Engine.Files;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>
/// <c>predict</c> for spectrum models: one CSV row per spectrum, <c>index,label,predicted,predicted_name,p_NAME...</c>
/// with the file's label (no <c>label</c> column for spectra without labels), the predicted class index and name and one probability column per class, headed by the
/// class's name. The checkpoint's preprocessing is applied first (<see cref="SpectrumInput"/>).
/// </summary>
public static class SpectrumPredictionCsv
{
    /// <param name="read">How to read the spectra (<see cref="SpectrumSetReader"/>); with labels optional, unlabelled spectra give a CSV without the label column.</param>
    public static (int Spectra, string Preprocessing) Write(string modelPath, string inputPath, SpectrumReadOptions read, string output, IProgressReporter progress, Action<string> note)
    {
        var (model, _, info) = SpectrumCheckpoint.Load(modelPath);
        var raw = SpectrumSetReader.Read(inputPath, read, note);
        var set = SpectrumInput.Prepare(modelPath, info, raw, inputPath, progress);
        int k = info.ClassNames.Count;
        var probabilities = SpectrumPrediction.Probabilities(model, k, set, progress, Path.GetFileNameWithoutExtension(modelPath));
        var predicted = ArgMax.Rows(probabilities, k);
        AtomicFile.Write(output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write(raw.Labelled ? "index,label,predicted,predicted_name" : "index,predicted,predicted_name");
            foreach (string name in info.ClassNames) w.Write("," + CsvField.Quote("p_" + name));
            w.Write('\n');
            for (int i = 0; i < set.Count; i++)
            {
                w.Write(raw.Labelled ? $"{i},{set.Labels[i]},{predicted[i]},{CsvField.Quote(info.ClassNames[predicted[i]])}" : $"{i},{predicted[i]},{CsvField.Quote(info.ClassNames[predicted[i]])}");
                for (int c = 0; c < k; c++) w.Write("," + probabilities[(long)i * k + c].ToString("R", CultureInfo.InvariantCulture));
                w.Write('\n');
            }
        });
        return (set.Count, info.Preprocessing);
    }
}
