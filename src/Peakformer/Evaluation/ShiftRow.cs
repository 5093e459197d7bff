namespace Peakformer.Evaluation;

/// <summary>
/// One figure of one method on one set: peak-finding F1 (error: binomial, F1 taken as a proportion of (truth + found) / 2
/// trials) or count MAE (error: sqrt((MSE - MAE^2) / N)), and its change from the nominal set under the same mitigation.
/// </summary>
public sealed record ShiftRow(string Set, string Overrides, string Mitigation, string Method, string Metric, double Value, double Error, double Change);
