using Peakformer.DriftChamber.Models;
using Peakformer.Learning.Models;
using Peakformer.Spectroscopy.Maps;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Tensors;
using Peakformer.Vision.Models;

namespace Peakformer;

/// <summary>
/// The library's one model registry: each domain room registers its kinds here (a new room adds one line), and
/// everything that needs a kind's name, task, config or recipe asks <see cref="All"/>.
/// </summary>
public static class ModelKinds
{
    public static ModelRegistry All { get; } = Build();

    private static ModelRegistry Build()
    {
        var registry = new ModelRegistry();
        DriftChamberModels.Register(registry);
        VisionModels.Register(registry);
        MapModels.Register(registry);
        SpectrumModels.Register(registry);
        TensorModels.Register(registry);
        return registry;
    }
}
