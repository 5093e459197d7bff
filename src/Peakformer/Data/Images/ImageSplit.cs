namespace Peakformer.Data.Images;

/// <summary>Which half of an MNIST-style data set to read: the training files ("train-") or the test files ("t10k-").</summary>
public enum ImageSplit
{
    Train,
    Test,
}
