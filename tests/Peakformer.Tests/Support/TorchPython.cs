using System.Diagnostics;
using Xunit.Abstractions;

namespace Peakformer.Tests.Support;

/// <summary>
/// Debian's /usr/bin/python3 with PyTorch and torchvision, for the tests that run the committed python/ scripts.
/// Absent: under CI (the CI variable set, as .ci/run's machine has it) the test fails and says what to install;
/// elsewhere it passes with a note in its output (xunit 2 has no runtime skip).
/// </summary>
public static class TorchPython
{
    public const string Executable = "/usr/bin/python3";
    private static readonly Lazy<string?> Missing = new(() => FindMissing("numpy, torch, torchvision"));
    private static readonly Lazy<string?> MissingOnnx = new(() => FindMissing("onnx"));

    /// <summary>The repository's python/ folder (found upwards from the test binaries, beside Peakformer.slnx).</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Peakformer.slnx"))) return System.IO.Path.Combine(dir.FullName, "python");
            throw new InvalidOperationException($"no Peakformer.slnx above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>True when Python with torch and torchvision runs here; otherwise notes why (or fails under CI).</summary>
    public static bool Available(ITestOutputHelper output)
    {
        if (Missing.Value is null) return true;
        string why = $"{Missing.Value} (apt-get install python3-torch python3-torchvision libopenblas0-pthread)";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail($"CI needs PyTorch for the twin tests: {why}");
        output.WriteLine($"skipped: {why}");
        return false;
    }

    /// <summary>True when Python with the onnx package (Debian's python3-onnx) runs here; otherwise notes why (or fails under CI).</summary>
    public static bool OnnxAvailable(ITestOutputHelper output)
    {
        if (MissingOnnx.Value is null) return true;
        string why = $"{MissingOnnx.Value} (apt-get install python3-onnx)";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail($"CI needs python3-onnx for the ONNX checks: {why}");
        output.WriteLine($"skipped: {why}");
        return false;
    }

    /// <summary>Runs a script of python/ and returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Run(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(System.IO.Path.Combine(Folder, script));
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // One thread: the tests' models are tiny and the machine's cores are shared with the test runner.
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }

    private static string? FindMissing(string modules)
    {
        if (!File.Exists(Executable)) return $"{Executable} is absent";
        try
        {
            var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"import {modules}");
            using var p = Process.Start(info)!;
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"{Executable} cannot import {modules}: {error.Trim().Split('\n')[^1]}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Executable} does not run: {e.Message}";
        }
    }
}
