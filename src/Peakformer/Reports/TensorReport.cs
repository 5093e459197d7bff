using Peakformer.Spectroscopy.Tensors;

namespace Peakformer.Reports;

/// <summary>Writes a Raman tensor evaluation as report/index.html (a table per model, training curves) and report/metrics.json.</summary>
public static class TensorReport
{
    public static void Write(string folder, TensorEvaluationResult r)
    {
        using var output = new ReportFolder(folder);
        foreach (var (m, i) in r.Models.Select((m, i) => (m, i)).Where(x => x.m.History.Count > 0))
            output.Save(TrainingCurves.Loss(m.Model, m.History, m.BestEpoch, "sign-invariant MSE + symmetry penalty"),
                $"training_loss_{i}.svg", $"{m.Model}: training and validation loss per epoch (best epoch {m.BestEpoch}, marked).");
        var F = HtmlPage.F;
        var page = new HtmlPage("Peakformer Raman tensor regression")
            .Note($"Data: {HtmlPage.E(r.Data)}, {r.Examples:N0} molecules of class {HtmlPage.E(r.ClassName)}; target: the lab-frame tensor of the mode at {F(r.ModeShift, "F1")} cm<sup>-1</sup>. " +
                "RMSE per component and relative Frobenius error up to the global sign; asymmetry ||R̂ - R̂<sup>T</sup>||<sub>F</sub>; invariants a and γ<sup>2</sup> of the symmetric part of R̂.")
            .Table(["model", "λ", "RMSE", "relative Frobenius", "asymmetry", "|a error|", "|γ² error|"],
                r.Models.Select(m => new[] { HtmlPage.E(m.Model), F(m.SymmetryPenalty, "G3"), F(m.Metrics.Rmse), F(m.Metrics.RelativeFrobenius), F(m.Metrics.Asymmetry),
                    F(m.Metrics.MeanAError), F(m.Metrics.Gamma2Error) }));
        output.Finish(r, page);
    }
}
