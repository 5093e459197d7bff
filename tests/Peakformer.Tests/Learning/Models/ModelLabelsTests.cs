using Peakformer.Learning.Models;

namespace Peakformer.Tests.Learning.Models;

public class ModelLabelsTests
{
    [Fact]
    public void A_lone_model_keeps_its_display_name()
    {
        Assert.Equal(["DERIV", "window transformer", "LSTM"],
            ModelLabels.Distinct([("DERIV", null), ("window transformer", "/m/a.safetensors"), ("LSTM", "/m/b.safetensors")]));
    }

    [Fact]
    public void Two_models_of_one_name_are_told_apart_by_their_file_names()
    {
        Assert.Equal(["window transformer (a.safetensors)", "LSTM", "window transformer (b.safetensors)"],
            ModelLabels.Distinct([("window transformer", "/m/a.safetensors"), ("LSTM", "/m/c.safetensors"), ("window transformer", "/n/b.safetensors")]));
    }

    [Fact]
    public void Files_of_one_name_in_different_folders_keep_their_paths()
    {
        Assert.Equal(["window transformer (run1/m.safetensors)", "window transformer (run2/m.safetensors)", "window transformer (x.safetensors)"],
            ModelLabels.Distinct([("window transformer", "run1/m.safetensors"), ("window transformer", "run2/m.safetensors"), ("window transformer", "x.safetensors")]));
    }

    [Fact]
    public void Files_of_one_name_are_told_apart_by_their_folder_then_their_path_then_a_number()
    {
        Assert.Equal(["linear model (run1/m.safetensors)", "linear model (run2/m.safetensors)"],
            ModelLabels.Distinct([("linear model", "/data/a/run1/m.safetensors"), ("linear model", "/data/b/run2/m.safetensors")]));
        Assert.Equal(["linear model (/a/run/m.safetensors)", "linear model (/b/run/m.safetensors)"],
            ModelLabels.Distinct([("linear model", "/a/run/m.safetensors"), ("linear model", "/b/run/m.safetensors")]));
        Assert.Equal(["linear model (/a/m.safetensors)", "linear model (/a/m.safetensors) #2"],
            ModelLabels.Distinct([("linear model", "/a/m.safetensors"), ("linear model", "/a/m.safetensors")]));
    }
}
