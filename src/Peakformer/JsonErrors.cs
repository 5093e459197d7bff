using System.Text.Json;

namespace Peakformer;

/// <summary>One-line descriptions of System.Text.Json errors for <see cref="InputException"/> messages.</summary>
internal static class JsonErrors
{
    /// <summary>
    /// The reason without the parts that are noise to a user: the " Path: $.x | LineNumber..." tail (the caller
    /// names the field) and namespaces of type names ('Peakformer.Learning.Training.TrainState' becomes 'TrainState').
    /// </summary>
    public static string Reason(JsonException e)
    {
        string message = e.Message;
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path > 0) message = message[..path];
        message = System.Text.RegularExpressions.Regex.Replace(message, @"'(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_`]*)'", "'$1'");
        return message.Replace('\n', ' ').Replace('\r', ' ').TrimEnd('.', ' ');
    }
}
