using Peakformer.Data.Images;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Splits;

namespace Peakformer.Vision.Data;

/// <summary>
/// Training and validation examples from one image set: a stratified split (every class in the same proportion on
/// both sides; images share no source, so no grouping is needed), augmentation on the training side only.
/// </summary>
public static class ImageTrainingData
{
    /// <summary>Stream index that keeps the augmentation draws apart from the split's and the trainer's shuffles.</summary>
    private const ulong AugmentationStream = 0x696d616765; // "image"

    public static (ImageExamples Train, ImageExamples Validation) Split(ImageSet set, double validationFraction, ImageAugmentation augmentation, ulong seed)
    {
        Finite.InRange("validation fraction", validationFraction, 0, 0.9);
        var (train, validation) = StratifiedSplit.Indices(set.Labels, validationFraction, seed);
        if (train.Length == 0) throw new InputException($"{set.Source}: expected at least one training image after the split, found none of {set.Count}");
        return (new ImageExamples(set, train, augmentation, Rng.Mix(seed, AugmentationStream)),
                new ImageExamples(set, validation, ImageAugmentation.None, 0));
    }
}
