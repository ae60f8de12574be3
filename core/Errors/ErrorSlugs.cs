using System.Text.Json;

namespace FestivalReservations.Core.Errors;

/// <summary>How the contract spells a code or status: kebab-case (session-full, not-selected), as in problem details and telemetry.</summary>
public static class ErrorSlugs
{
    public static string Of(ErrorCode code) => Of(code.ToString());

    public static string Of(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
