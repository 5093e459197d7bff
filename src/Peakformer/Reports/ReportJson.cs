using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peakformer.Reports;

/// <summary>JSON options for report files: snake_case, indented, non-finite numbers as strings.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
