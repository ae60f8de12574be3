using System.Security.Cryptography;
using System.Text;

namespace FestivalReservations.DevHost.Http;

/// <summary>
/// The auth levels of Azure Functions with one key: Anonymous is open; Function and Admin (and
/// anything else) need DevHost:FunctionKey in the x-functions-key header or the ?code= query.
/// </summary>
public sealed class FunctionKeyAuthorizer(string? functionKey)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[]? _key = string.IsNullOrEmpty(functionKey) ? null : Encoding.UTF8.GetBytes(functionKey);

    public bool HasKey => _key is not null;

    public static bool IsAnonymous(string? authLevel) =>
        string.Equals(authLevel, "Anonymous", StringComparison.OrdinalIgnoreCase);

    public bool IsAuthorized(HttpRequest request, string? authLevel)
    {
        if (IsAnonymous(authLevel))
        {
            return true;
        }

        if (_key is null)
        {
            return false;
        }

        var presented = request.Headers[HeaderName].FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? request.Query[QueryName].FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);
    }

    /// <summary>Why a request was refused, for the problem's detail.</summary>
    public string RefusalDetail(HttpRequest request) =>
        !HasKey
            ? "No function key is configured on this devhost (DevHost:FunctionKey), so key-protected routes are closed."
            : request.Headers.ContainsKey(HeaderName) || request.Query.ContainsKey(QueryName)
                ? "The function key is not valid."
                : $"This route needs a function key in the {HeaderName} header or the ?{QueryName}= query.";
}
