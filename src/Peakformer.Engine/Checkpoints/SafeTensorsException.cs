using System.Text;

namespace Peakformer.Engine.Checkpoints;

/// <summary>A checkpoint that cannot be read or does not fit the model; the message names the file and the tensor or byte offset.</summary>
public sealed class SafeTensorsException(string message) : Exception(OneLine(message))
{
    /// <summary>Longest message kept; what a file quotes beyond it is cut.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>
    /// The message as one line: control characters (a newline quoted from a damaged file...) written as escapes
    /// such as \n or \x01, and the length capped at <see cref="MaxMessageLength"/>.
    /// </summary>
    public static string OneLine(string message)
    {
        if (message.Length <= MaxMessageLength && !message.Any(char.IsControl)) return message;
        var sb = new StringBuilder(Math.Min(message.Length, MaxMessageLength) + 16);
        foreach (char c in message)
        {
            if (sb.Length >= MaxMessageLength)
            {
                sb.Append("...");
                break;
            }
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
