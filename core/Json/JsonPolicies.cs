using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FestivalReservations.Core.Json;

/// <summary>The app's two JSON dialects: what crosses HTTP, and what it keeps in storage.</summary>
public static class JsonPolicies
{
    /// <summary>
    /// The HTTP contract (../shared/API.md) and its documents (a catalog file is a PUT body):
    /// camelCase, UTF-8 (Korean as it is), nulls left out, enums in kebab-case, unknown fields and
    /// numbers in strings refused.
    /// </summary>
    public static readonly JsonSerializerOptions Contract = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// What the app writes into storage and reads back later, perhaps from an older version (queue
    /// messages, stored idempotent answers, catalog rows, request fingerprints): camelCase, unknown
    /// fields skipped, enums by name so that reordering an enum cannot change what old rows mean.
    /// Rows written before enums were names hold numbers, and still read.
    /// </summary>
    public static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: true) },
    };
}
