using System.Globalization;

namespace Peakformer.Cli.Output;

/// <summary>One line of progress, "task: done/total unit percent, rate, ETA or time", the same for plain output and for the
/// summary a live bar leaves behind when it finishes.</summary>
public static class ProgressLine
{
    public static string Format(string description, long done, long total, string unit, double seconds, string? detail, bool finished)
    {
        seconds = Math.Max(1e-9, seconds);
        double rate = done / seconds;
        string eta = finished || rate <= 0 ? "" : $", ETA {TimeSpan.FromSeconds(Math.Max(0, (total - done) / rate)):hh\\:mm\\:ss}";
        string percent = total > 0 ? (100.0 * done / total).ToString("F0", CultureInfo.InvariantCulture) + "%" : "";
        return $"{description}: {done}/{total} {unit} {percent}, {Rate(rate)} {unit}/s{eta}{(finished ? $", done in {seconds:F1} s" : "")}{(detail is null ? "" : "  " + detail)}";
    }

    /// <summary>Units per second with three significant figures at most (4,394 rather than 4,394.27; 0.52 for slow work).</summary>
    public static string Rate(double perSecond) =>
        perSecond >= 100 ? perSecond.ToString("N0", CultureInfo.InvariantCulture) : perSecond.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>A message cut at spaces into lines of at most <paramref name="width"/> characters (a live display
    /// miscounts its own height when the terminal wraps a line for it).</summary>
    public static IEnumerable<string> Wrap(string message, int width)
    {
        width = Math.Max(20, width);
        foreach (string paragraph in message.ReplaceLineEndings("\n").Split('\n'))
        {
            string rest = paragraph;
            while (rest.Length > width)
            {
                int cut = rest.LastIndexOf(' ', width);
                if (cut <= 0) cut = width;
                yield return rest[..cut].TrimEnd();
                rest = "  " + rest[cut..].TrimStart();
            }
            yield return rest;
        }
    }
}
