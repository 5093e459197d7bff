using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;

namespace Peakformer.Tests.Learning.Models;

/// <summary>The registry on kinds of its own making: it knows no domain, so made-up tasks and models must do.</summary>
public class ModelRegistryTests
{
    public sealed record TinyConfig
    {
        public int Width { get; init; } = 3;
    }

    private sealed class Tiny : ITrainable
    {
        public Tiny(TinyConfig config, Rng rng)
        {
            if (config.Width < 1) throw new ArgumentException($"width: expected a whole number >= 1, found {config.Width}");
            Linear = new Linear(config.Width, 1, rng);
        }

        public Linear Linear { get; }
        public Module Module => Linear;
        public Tensor Forward(Tape tape, Tensor input) => Linear.Forward(tape, input);
    }

    private static ModelKind Kind(string name, string task, string model) => new()
    {
        Name = name, DisplayName = name.Replace('-', ' '), Task = task, Model = model, Input = "spectra",
        ConfigType = typeof(TinyConfig), Build = ModelKind.Builder<TinyConfig>((c, rng) => new Tiny(c, rng)),
        Recipe = new TrainingSettings { Epochs = 7 },
    };

    private static ModelRegistry Registry()
    {
        var registry = new ModelRegistry();
        registry.Register(Kind("spectrum-cnn", "classify", "cnn"));
        registry.Register(Kind("spectrum-transformer", "classify", "transformer"));
        registry.Register(Kind("map-vit", "segment", "vit"));
        return registry;
    }

    [Fact]
    public void Task_and_model_name_the_registered_kind()
    {
        var registry = Registry();
        Assert.Equal("spectrum-transformer", registry.For("classify", "transformer").Name);
        Assert.Equal("map-vit", registry.For("segment", "vit").Name);
        Assert.Equal(["classify", "segment"], registry.Tasks);
        Assert.Equal(["spectrum-cnn", "spectrum-transformer"], registry.InTask("classify").Select(k => k.Name));
    }

    [Fact]
    public void An_unknown_task_or_model_lists_what_there_is()
    {
        var registry = Registry();
        Assert.Equal("--task: expected classify or segment, found 'count'", Assert.Throws<InputException>(() => registry.For("count", "cnn")).Message);
        Assert.Equal("--model: the classify task has cnn (on spectra) or transformer (on spectra), found 'vit'",
            Assert.Throws<InputException>(() => registry.For("classify", "vit")).Message);
        Assert.Equal("x.safetensors: unknown model 'eeg-tower' (expected one of spectrum-cnn, spectrum-transformer, map-vit)",
            Assert.Throws<InputException>(() => registry.Get("eeg-tower", "x.safetensors")).Message);
    }

    [Fact]
    public void A_kind_registered_twice_is_refused()
    {
        var registry = Registry();
        Assert.Throws<ArgumentException>(() => registry.Register(Kind("spectrum-cnn", "other", "cnn")));
        Assert.Throws<ArgumentException>(() => registry.Register(Kind("spectrum-cnn-2", "classify", "cnn")));
        Assert.Equal(3, registry.Kinds.Count);
    }

    [Fact]
    public void A_kind_builds_its_model_from_json_or_from_the_config_defaults()
    {
        var kind = Registry().For("classify", "cnn");
        Assert.Equal(3, ((Tiny)kind.Create(null, new Rng(1))).Linear.InFeatures);
        Assert.Equal(5, ((Tiny)kind.Create("{\"width\": 5}", new Rng(1))).Linear.InFeatures);
        Assert.Equal("--model-config: model config: width: expected a whole number >= 1, found 0",
            Assert.Throws<InputException>(() => kind.Create("{\"width\": 0}", new Rng(1), "--model-config")).Message);
        Assert.StartsWith("--model-config: model config is invalid at $.depth",
            Assert.Throws<InputException>(() => kind.Create("{\"depth\": 2}", new Rng(1), "--model-config")).Message);
    }
}
