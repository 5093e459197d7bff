using Peakformer.Data.Images;
using Peakformer.Vision.Attention;

namespace Peakformer.Reports;

/// <summary>
/// <c>attention</c>'s output folder: one <see cref="AttentionFigure"/> per image (image_INDEX.svg), an index.html
/// showing them and a metrics.json with each image's true class, predicted class and probability.
/// </summary>
public static class AttentionReport
{
    public static void Write(string folder, string model, ImageSet set, IReadOnlyList<string> classNames, IReadOnlyList<ImageAttention> images)
    {
        using var output = new ReportFolder(folder);
        foreach (var a in images)
            output.SaveSvg(AttentionFigure.Render(model, a, set.Image(a.Index), set.Channels, classNames), FileName(a.Index),
                $"Image {a.Index}: true {classNames[a.Label]}, predicted {classNames[a.Predicted]} (p = {HtmlPage.F(a.Probability, "F3")}).");
        var page = new HtmlPage($"Peakformer attention maps: {model}")
            .Note($"{HtmlPage.E(set.Source)}. Each figure: the input, the attention rollout over all layers (Abnar and Zuidema 2020) and the class " +
                  "token's attention over the patches for every layer (rows) and head (columns); each map is scaled to its own maximum.");
        output.Finish(new { Model = model, Data = set.Source, ClassNames = classNames, Images = images }, page);
    }

    public static string FileName(int index) => $"image_{index}.svg";
}
