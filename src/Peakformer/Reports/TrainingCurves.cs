using Peakformer.Learning.Training;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>
/// The per-epoch figures of a training history: every epoch is drawn, also those after the best one (they show
/// what early stopping saw), and a grey line marks the best epoch, whose weights the checkpoint holds.
/// </summary>
public static class TrainingCurves
{
    /// <summary>Training and validation loss per epoch.</summary>
    public static SvgPlot Loss(string name, IReadOnlyList<EpochRecord> history, int bestEpoch, string lossLabel) =>
        MarkBest(new SvgPlot($"{name}: loss per epoch", "epoch", lossLabel)
            .Line(Epochs(history), history.Select(e => e.TrainLoss).ToArray(), Palette.Blue, "training", 2)
            .Line(Epochs(history), history.Select(e => e.ValidationLoss).ToArray(), Palette.Vermillion, "validation", 2, "6,3"), bestEpoch);

    /// <summary>Training and validation score (e.g. accuracy, RMSE) and the validation metric early stopping follows.</summary>
    public static SvgPlot Scores(string title, string yLabel, IReadOnlyList<EpochRecord> history, int bestEpoch, string scoreName, string metricName,
        string legendPosition = "top-right") =>
        MarkBest(new SvgPlot(title, "epoch", yLabel) { LegendPosition = legendPosition }
            .Line(Epochs(history), history.Select(e => e.TrainScore).ToArray(), Palette.Blue, $"training {scoreName}", 2)
            .Line(Epochs(history), history.Select(e => e.ValidationScore).ToArray(), Palette.Vermillion, $"validation {scoreName}", 2, "6,3")
            .Line(Epochs(history), history.Select(e => e.ValidationMetric).ToArray(), Palette.Green, $"validation {metricName}", 2), bestEpoch);

    private static double[] Epochs(IReadOnlyList<EpochRecord> history) => history.Select(e => (double)e.Epoch).ToArray();

    private static SvgPlot MarkBest(SvgPlot plot, int bestEpoch) =>
        bestEpoch > 0 ? plot.VerticalLines([bestEpoch], Palette.Grey, $"best epoch {bestEpoch}", 1.5, 0.8) : plot;
}
