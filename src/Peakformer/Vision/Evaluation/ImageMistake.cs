namespace Peakformer.Vision.Evaluation;

/// <summary>A misclassified test image: its index in the split, true and predicted class, and the predicted class's probability.</summary>
public sealed record ImageMistake(int Index, int Label, string LabelName, int Predicted, string PredictedName, double Probability);
