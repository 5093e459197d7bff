namespace Peakformer.Tests.Support;

public static class GoldenFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", name);
}
