using Peakformer.Tests.Cli;

namespace Peakformer.Tests.Hostile;

/// <summary>
/// Runs the command line in process on hostile input and asserts what a user must get: exit code 1, one line
/// starting with "error:" (no stack trace), within a time bound and an allocation bound. The bounds are generous
/// guards against hangs and memory bombs, not speed measurements.
/// </summary>
public static class Bounded
{
    public static readonly TimeSpan DefaultTime = TimeSpan.FromSeconds(30);
    public const long DefaultBytes = 256L << 20;

    /// <summary>Runs the CLI and returns its error line after checking the contract.</summary>
    public static string CleanError(params string[] args) => CleanError(DefaultTime, DefaultBytes, args);

    public static string CleanError(TimeSpan time, long bytes, params string[] args)
    {
        var (exit, output, error) = Run(time, bytes, args);
        string text = error.Trim();
        string what = string.Join(' ', args);
        Assert.True(exit == 1, $"`{what}` exited {exit}, expected 1; stderr: {Shorten(text)}; stdout: {Shorten(output)}");
        Assert.True(text.StartsWith("error: ", StringComparison.Ordinal), $"`{what}`: stderr does not start with 'error: ': {Shorten(text)}");
        Assert.False(text.Contains('\n'), $"`{what}`: error is not one line: {Shorten(text)}");
        Assert.DoesNotContain("   at ", text);
        return text;
    }

    /// <summary>Runs the CLI in process within the bounds (exit code, stdout, stderr).</summary>
    public static (int Exit, string Output, string Error) Run(TimeSpan time, long bytes, params string[] args) =>
        Within(time, bytes, string.Join(' ', args), () => CliHarness.Run(args));

    /// <summary>Runs any action within the bounds: fails the test if it takes longer or allocates more.</summary>
    public static T Within<T>(TimeSpan time, long bytes, string what, Func<T> action)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var task = Task.Factory.StartNew(action, TaskCreationOptions.LongRunning);
        Assert.True(task.Wait(time), $"`{what}` did not finish within {time.TotalSeconds:F0} s (a hang)");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated <= bytes, $"`{what}` allocated {allocated / (1 << 20)} MiB, more than the bound of {bytes / (1 << 20)} MiB");
        return task.Result;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
