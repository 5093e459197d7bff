namespace Peakformer.Learning.Objectives;

/// <summary>The loss a regressor is trained with (PyTorch's MSELoss, L1Loss and HuberLoss, mean reduction).</summary>
public enum RegressionLoss { Mse, L1, Huber }
