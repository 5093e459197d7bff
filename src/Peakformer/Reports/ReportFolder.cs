using Peakformer.Engine.Files;

namespace Peakformer.Reports;

/// <summary>
/// Writes a folder of report files under a temporary sibling name and moves it into place at the end, so a failed
/// run leaves no half-written report. An existing report (which the command line lets through only when it is
/// Peakformer's own: <see cref="OutputLedger"/>) is replaced only if nothing changed in it meanwhile, by swapping the
/// two folders in one step, so one complete report is always at the path.
/// </summary>
public sealed class ReportFolder : IDisposable
{
    private readonly string _target;
    private readonly string _before;
    private bool _committed;

    public ReportFolder(string target)
    {
        _target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        _before = OutputLedger.Snapshot(_target);
        Temporary = Scratch.Folder(_target);
    }

    public string Temporary { get; }

    public string File(string name) => Path.Combine(Temporary, name);

    /// <summary>Figures saved so far, in order, with their captions.</summary>
    public List<(string File, string Caption)> Figures { get; } = [];

    public void Save(Svg.SvgPlot plot, string file, string caption) => SaveSvg(plot.Render(), file, caption);

    /// <summary>A figure already rendered to SVG text.</summary>
    public void SaveSvg(string svg, string file, string caption)
    {
        System.IO.File.WriteAllText(File(file), svg, new System.Text.UTF8Encoding(false));
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
        OutputLedger.CheckUnchanged(_target, _before);
        if (!Directory.Exists(_target)) Directory.Move(Temporary, _target);
        else if (NativeFiles.TryExchange(Temporary, _target)) Scratch.Discard(Temporary);
        else
        {
            // No atomic exchange here (not Linux, or a network file system): the old report steps aside and comes
            // back should the new one fail to move in, or this process stop in between (signal, or next run's sweep).
            string old = Scratch.MoveAside(_target);
            try
            {
                Directory.Move(Temporary, _target);
            }
            catch
            {
                Scratch.RestoreAside(old);
                throw;
            }
            Scratch.Discard(old);
        }
        Scratch.Release(Temporary);
        _committed = true;
        OutputLedger.Record(_target);
    }

    public void Dispose()
    {
        if (!_committed) Scratch.Discard(Temporary);
    }
}
