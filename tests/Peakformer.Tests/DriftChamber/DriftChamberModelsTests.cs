using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Randomness;

namespace Peakformer.Tests.DriftChamber;

/// <summary>The six drift-chamber kinds as registered: names, command-line mapping, models and recipes.</summary>
public class DriftChamberModelsTests
{
    [Theory]
    [InlineData("window", "transformer", "window-transformer", "window transformer")]
    [InlineData("window", "lstm", "window-lstm", "LSTM")]
    [InlineData("perbin", "transformer", "perbin-transformer", "per-bin transformer")]
    [InlineData("perbin", "patch", "patch-transformer", "patch transformer")]
    [InlineData("count", "transformer", "count-transformer", "count transformer")]
    [InlineData("count", "onestep", "onestep-counter", "one-step counter")]
    public void The_command_line_names_map_to_the_kinds_checkpoints_store(string task, string model, string name, string display)
    {
        var kind = ModelKinds.All.For(task, model);
        Assert.Equal(name, kind.Name);
        Assert.Equal(display, kind.DisplayName);
    }

    [Fact]
    public void Every_kind_builds_a_model_that_names_its_own_kind()
    {
        foreach (var kind in ModelKinds.All.Kinds.Where(k => DriftChamberModels.FindsPeaks(k) || DriftChamberModels.CountsClusters(k)))
        {
            var model = kind.Create(null, new Rng(1));
            string stored = model is IPeakModel peak ? peak.Kind : ((ICountModel)model).Kind;
            Assert.Equal(kind.Name, stored);
            Assert.Equal(DriftChamberModels.FindsPeaks(kind), model is IPeakModel);
            Assert.Equal(DriftChamberModels.CountsClusters(kind), model is ICountModel);
        }
    }

    /// <summary>The defaults `train` had before the registry (and the reference study's: AdamW 3e-5 for the window transformer).</summary>
    [Theory]
    [InlineData("window-transformer", 80, 256, 3e-5f, "adamw", "none")]
    [InlineData("window-lstm", 80, 256, 1e-3f, "adamw", "none")]
    [InlineData("perbin-transformer", 20, 8, 1e-3f, "adamw", "none")]
    [InlineData("patch-transformer", 40, 16, 1e-3f, "adamw", "cosine")]
    [InlineData("count-transformer", 100, 128, 1e-3f, "adam", "plateau")]
    [InlineData("onestep-counter", 20, 8, 1e-3f, "adam", "plateau")]
    public void Each_kind_keeps_its_default_recipe(string name, int epochs, int batch, float lr, string optimizer, string schedule)
    {
        var recipe = ModelKinds.All.Get(name, "test").Recipe;
        Assert.Equal((epochs, batch, lr, optimizer, schedule), (recipe.Epochs, recipe.Batch, recipe.LearningRate, recipe.Optimizer, recipe.Schedule));
    }

    [Fact]
    public void A_count_model_where_a_peak_model_is_needed_is_named()
    {
        var e = Assert.Throws<InputException>(() => DriftChamberModels.Create("count-transformer", null, new Rng(1), "m.safetensors"));
        Assert.Equal("m.safetensors: count-transformer is a count model; a peak model (one of window-transformer, window-lstm, perbin-transformer, patch-transformer) is needed here", e.Message);
        e = Assert.Throws<InputException>(() => DriftChamberModels.CreateCounter("no-such-model", null, new Rng(1), "m.safetensors"));
        Assert.Equal("m.safetensors: unknown model 'no-such-model' (expected one of count-transformer, onestep-counter)", e.Message);
    }
}
