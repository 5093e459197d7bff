using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Data.Images;
using Peakformer.Engine.Files;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Evaluation;

/// <summary>
/// <c>predict</c> for image models: one CSV row per image, <c>index,label,predicted,p_NAME...</c> with the true and
/// predicted class indices and one probability column per class, headed by the class's name.
/// </summary>
public static class ImagePredictionCsv
{
    public static int Write(string modelPath, string inputPath, ImageSplit split, string output, IProgressReporter progress)
    {
        var (model, info) = ImageCheckpoint.Load(modelPath);
        var set = ImageSetReader.Read(inputPath, split);
        ImageCheckpoint.RequireShape(modelPath, info, set);
        int k = model.Config.Classes;
        var probabilities = ImagePrediction.Probabilities(model, set, progress);
        var predicted = ArgMax.Rows(probabilities, k);
        AtomicFile.Write(output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write("index,label,predicted");
            foreach (string name in info.ClassNames) w.Write("," + CsvField.Quote("p_" + name));
            w.Write('\n');
            for (int i = 0; i < set.Count; i++)
            {
                w.Write($"{i},{set.Labels[i]},{predicted[i]}");
                for (int c = 0; c < k; c++) w.Write("," + probabilities[(long)i * k + c].ToString("R", CultureInfo.InvariantCulture));
                w.Write('\n');
            }
        });
        return set.Count;
    }
}
