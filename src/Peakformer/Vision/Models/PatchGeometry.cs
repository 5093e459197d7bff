namespace Peakformer.Vision.Models;

/// <summary>How a Vision Transformer cuts an image into tokens.</summary>
public enum PatchGeometry
{
    /// <summary>P x P squares (torchvision's conv_proj, a Conv2d with kernel and stride P).</summary>
    Square,
    /// <summary>The image read in raster order as one sequence, cut into runs of P * P pixels (a Conv1d with kernel and stride P * P).</summary>
    Raster,
}
