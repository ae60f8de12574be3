using System.ComponentModel.DataAnnotations;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// Where the tables and queues live. Locally a connection string (Azurite); in Azure the
/// service URIs with a managed identity, so no key is ever stored.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>A storage connection string; wins over the URIs when set.</summary>
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty means DefaultAzureCredential picks.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesConnectionString && (TableServiceUri is null || QueueServiceUri is null))
        {
            yield return new ValidationResult(
                "Set Storage:ConnectionString, or both Storage:TableServiceUri and Storage:QueueServiceUri.",
                [nameof(ConnectionString), nameof(TableServiceUri), nameof(QueueServiceUri)]);
        }
    }
}
