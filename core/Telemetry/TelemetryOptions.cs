using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace FestivalReservations.Core.Telemetry;

/// <summary>
/// Where telemetry goes: the two settings the Functions host reads too, under their own names (no
/// section). Empty connection string: nothing is exported. An authentication string of
/// <c>Authorization=AAD</c> (what the Bicep sets, as Application Insights has local auth off) makes
/// the exporter sign in with the managed identity of its <c>ClientId</c>.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The Application Insights connection string: <c>InstrumentationKey=guid;IngestionEndpoint=https://...;...</c>.</summary>
    [ConfigurationKeyName(ConnectionStringKey)]
    public string? ConnectionString { get; set; }

    /// <summary><c>Authorization=AAD;ClientId=guid</c> (Entra ID sign-in, the user-assigned identity), or empty (the key alone).</summary>
    [ConfigurationKeyName(AuthenticationStringKey)]
    public string? AuthenticationString { get; set; }

    public bool Exports => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The credential the exporter signs in with; null when the authentication string asks for none (or is not valid).</summary>
    public TokenCredential? Credential()
    {
        if (string.IsNullOrWhiteSpace(AuthenticationString) || AuthenticationStringProblem(AuthenticationString) is not null)
        {
            return null;
        }

        return Pairs(AuthenticationString)!.TryGetValue("ClientId", out var clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionStringProblem(ConnectionString) is { } connection)
        {
            yield return new ValidationResult($"{ConnectionStringKey} {connection}", [nameof(ConnectionString)]);
        }

        if (AuthenticationStringProblem(AuthenticationString) is { } authentication)
        {
            yield return new ValidationResult($"{AuthenticationStringKey} {authentication}", [nameof(AuthenticationString)]);
        }
    }

    /// <summary>What is wrong with a connection string (empty is fine: no export); null when nothing.</summary>
    public static string? ConnectionStringProblem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Pairs(value) is not { } pairs)
        {
            return "is not a connection string: expected key=value pairs separated by ';', each key once (InstrumentationKey=...;IngestionEndpoint=https://...).";
        }

        if (!pairs.TryGetValue("InstrumentationKey", out var key) || !Guid.TryParse(key, out _))
        {
            return "has no InstrumentationKey=<guid>: copy the whole connection string from the Application Insights resource, or leave it empty to export nothing.";
        }

        var endpoint = pairs.FirstOrDefault(p => p.Key.EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(p.Value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps));
        return endpoint.Key is null ? null : $"has {endpoint.Key}={endpoint.Value}, not an absolute https URL.";
    }

    /// <summary>What is wrong with an authentication string (empty is fine: the key alone); null when nothing.</summary>
    public static string? AuthenticationStringProblem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Pairs(value) is not { } pairs)
        {
            return "is not key=value pairs separated by ';' (Authorization=AAD;ClientId=...).";
        }

        if (!pairs.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return "must say Authorization=AAD (Entra ID sign-in), or be left empty.";
        }

        return pairs.TryGetValue("ClientId", out var clientId) && !Guid.TryParse(clientId, out _)
            ? $"has ClientId={clientId}, not the client id (a guid) of a managed identity."
            : null;
    }

    /// <summary>key=value pairs separated by ';' (an empty last one allowed), keys ignoring case, each once; null when it is not that.</summary>
    private static Dictionary<string, string>? Pairs(string value)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1 || !pairs.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim()))
            {
                return null;
            }
        }

        return pairs.Count > 0 ? pairs : null;
    }
}
