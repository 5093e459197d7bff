using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Engine.Files;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>
/// <c>predict</c> for spectrum models: one CSV row per spectrum, <c>index,label,predicted,predicted_name,p_NAME...</c>
/// with the file's label, the predicted class index and name and one probability column per class, headed by the
/// class's name. The checkpoint's preprocessing is applied first (<see cref="SpectrumInput"/>).
/// </summary>
public static class SpectrumPredictionCsv
{
    public static (int Spectra, string Preprocessing) Write(string modelPath, string inputPath, string output, IProgressReporter progress)
    {
        var (model, _, info) = SpectrumCheckpoint.Load(modelPath);
        var raw = SpectrumSetFile.Read(inputPath);
        var set = SpectrumInput.Prepare(modelPath, info, raw, inputPath, progress);
        int k = info.ClassNames.Count;
        var probabilities = SpectrumPrediction.Probabilities(model, k, set, progress, Path.GetFileNameWithoutExtension(modelPath));
        var predicted = ArgMax.Rows(probabilities, k);
        AtomicFile.Write(output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write("index,label,predicted,predicted_name");
            foreach (string name in info.ClassNames) w.Write("," + CsvField.Quote("p_" + name));
            w.Write('\n');
            for (int i = 0; i < set.Count; i++)
            {
                w.Write($"{i},{set.Labels[i]},{predicted[i]},{CsvField.Quote(info.ClassNames[predicted[i]])}");
                for (int c = 0; c < k; c++) w.Write("," + probabilities[(long)i * k + c].ToString("R", CultureInfo.InvariantCulture));
                w.Write('\n');
            }
        });
        return (set.Count, info.Preprocessing);
    }
}
