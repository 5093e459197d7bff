namespace Peakformer;

/// <summary>
/// Bad input from the user: a file, option or value that cannot be used. The message names where (file, line,
/// field or option), what was expected and what was found; the CLI prints it on one line and exits non-zero.
/// Messages often quote the input itself, so control characters are escaped and the length is capped: the
/// message stays one readable line whatever the file holds.
/// </summary>
public sealed class InputException(string message) : Exception(Engine.Checkpoints.SafeTensorsException.OneLine(message))
{
    /// <summary>"file:line: field: expected X, found Y" with the parts that are known.</summary>
    public static InputException At(string? file, long? line, string? field, string expected, string found)
    {
        var where = string.Join(": ", new[] { file is null ? null : line is null ? file : $"{file}:{line}", field }.Where(s => s is not null));
        return new InputException($"{(where.Length > 0 ? where + ": " : "")}expected {expected}, found {found}");
    }
}
