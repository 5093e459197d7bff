namespace Peakformer.Tests.Cli;

public class CommandLineErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pf-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bad_option_values_give_one_line_errors_and_exit_1()
    {
        var (exit, _, error) = CliHarness.Run("demo", "--epochs", "0");
        Assert.Equal(1, exit);
        Assert.Equal("error: --epochs: expected a whole number in [1, 10000], found 0", error.Trim());

        (exit, _, error) = CliHarness.Run("bench", "--suite", "nonsense", "--no-peers");
        Assert.Equal(1, exit);
        Assert.Contains("--suite: expected", error);

        (exit, _, error) = CliHarness.Run("bench", "--thread-counts", "1,x");
        Assert.Equal(1, exit);
        Assert.Contains("found 'x'", error);

        (exit, _, error) = CliHarness.Run("bench", "--kernels", "avx3", "--no-peers");
        Assert.Equal(1, exit);
        Assert.Equal("error: --kernels: expected auto, vector512, vector256, vector128, reference or all, found 'avx3'", error.Trim());

        (exit, _, error) = CliHarness.Run("bench", "--kernels", "all", "--suite", "simulate", "--no-peers");
        Assert.Equal(1, exit);
        Assert.Contains("--kernels all: compares the engine suite only", error);

        (exit, _, error) = CliHarness.Run("demo", "--threads", "0");
        Assert.Equal(1, exit);
        Assert.Contains("--threads", error);
    }

    [Fact]
    public void An_existing_output_needs_force_and_is_left_untouched()
    {
        string json = Path.Combine(_dir, "bench.json");
        File.WriteAllText(json, "keep me");
        var (exit, _, error) = CliHarness.Run("bench", "--json", json, "--no-peers");
        Assert.Equal(1, exit);
        Assert.Contains("file exists (use --force to replace an output Peakformer wrote)", error);
        Assert.Equal("keep me", File.ReadAllText(json));
    }

    [Fact]
    public void A_training_run_that_keeps_no_checkpoint_is_an_error_that_names_the_learning_rate_and_leaves_nothing()
    {
        string data = Path.Combine(_dir, "train.npz"), model = Path.Combine(_dir, "m.safetensors");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "16", "--out", data).Exit);
        string error = Hostile.Bounded.CleanError("train", "--data", data, "--out", model, "--epochs", "1", "--min-auc", "0.9999",
            "--model-config", "{\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"head_hidden\": 8}");
        Assert.StartsWith("error: no checkpoint written: best validation AUC ", error);
        Assert.Contains("--lr 3E-05 is the reference study's rate for up to 80 epochs: a short run needs about --lr 3e-4", error);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(model + ".state"));
    }

    [Fact]
    public void Parse_errors_are_one_error_line_with_exit_1_not_the_whole_help()
    {
        Assert.Contains("Unrecognized command or argument 'frobnicate'", Hostile.Bounded.CleanError("frobnicate"));
        Assert.Contains("did you mean --epochs?", Hostile.Bounded.CleanError("demo", "--epoch", "3"));
        Assert.Equal("error: --epochs: expected a whole number, found 'x' (see peakformer demo --help)", Hostile.Bounded.CleanError("demo", "--epochs", "x"));
        Assert.Equal("error: --lr: expected a number, found 'fast' (see peakformer train --help)",
            Hostile.Bounded.CleanError("train", "--data", "x.npz", "--out", "y.safetensors", "--lr", "fast"));
        Assert.StartsWith("error: expected a command: quickstart, ", Hostile.Bounded.CleanError());
        var (exit, _, help) = CliHarness.Run("demo", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", help);
    }
}
