namespace Peakformer.Reports;

/// <summary>
/// Writes a folder of report files under a temporary sibling name and moves it into place at the end, so a failed
/// run leaves no half-written report (and an existing one is replaced only when asked).
/// </summary>
public sealed class ReportFolder : IDisposable
{
    private readonly string _target;
    private bool _committed;

    public ReportFolder(string target)
    {
        _target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        Temporary = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Temporary);
    }

    public string Temporary { get; }

    public string File(string name) => Path.Combine(Temporary, name);

    /// <summary>Figures saved so far, in order, with their captions.</summary>
    public List<(string File, string Caption)> Figures { get; } = [];

    public void Save(Svg.SvgPlot plot, string file, string caption)
    {
        plot.Save(File(file));
        Figures.Add((file, caption));
    }

    /// <summary>metrics.json (snake_case) and index.html, then the folder moves into place.</summary>
    public void Finish(object metrics, HtmlPage page)
    {
        System.IO.File.WriteAllText(File("metrics.json"), System.Text.Json.JsonSerializer.Serialize(metrics, metrics.GetType(), ReportJson.Options));
        System.IO.File.WriteAllText(File("index.html"), page.Figures(Figures).Render(), new System.Text.UTF8Encoding(false));
        Commit();
    }

    public void Commit()
    {
        if (Directory.Exists(_target)) Directory.Delete(_target, recursive: true);
        Directory.Move(Temporary, _target);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Temporary)) Directory.Delete(Temporary, recursive: true);
    }
}
