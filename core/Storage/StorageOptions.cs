using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// Where the tables and queues live. Locally a connection string (Azurite); in Azure the
/// service URIs with a managed identity, so no key is ever stored.
/// </summary>
public sealed partial class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>A storage connection string; wins over the URIs when set.</summary>
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty means DefaultAzureCredential picks.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// The queue of SMS requests; "-poison" appended names the queue of those that failed five
    /// times. SendSms binds to it as %Storage:SmsQueueName%. Each test's app has one of its own.
    /// </summary>
    public string SmsQueueName { get; set; } = StorageTables.DefaultSmsQueueName;

    /// <summary>How long one storage call may take before the SDK gives up on it and retries (10 s; fault tests use less).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed storage call (exponential, 200 ms to 2 s).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long the app waits at start for storage to answer (creating tables, seeding the catalog) before it fails.</summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the app waits between two tries at start.</summary>
    public TimeSpan StartupRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesConnectionString && (TableServiceUri is null || QueueServiceUri is null))
        {
            yield return new ValidationResult(
                "Set Storage:ConnectionString, or both Storage:TableServiceUri and Storage:QueueServiceUri.",
                [nameof(ConnectionString), nameof(TableServiceUri), nameof(QueueServiceUri)]);
        }

        if (NetworkTimeout < TimeSpan.FromMilliseconds(100) || NetworkTimeout > TimeSpan.FromMinutes(2))
        {
            yield return new ValidationResult("Storage:NetworkTimeout must be between 00:00:00.1 and 00:02:00.", [nameof(NetworkTimeout)]);
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return new ValidationResult("Storage:MaxRetries must be 0-10.", [nameof(MaxRetries)]);
        }

        if (StartupWait < TimeSpan.FromSeconds(1) || StartupWait > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Storage:StartupWait must be between 00:00:01 and 00:10:00.", [nameof(StartupWait)]);
        }

        if (StartupRetryDelay < TimeSpan.FromMilliseconds(100) || StartupRetryDelay > TimeSpan.FromMinutes(1) || StartupRetryDelay > StartupWait)
        {
            yield return new ValidationResult(
                "Storage:StartupRetryDelay must be between 00:00:00.1 and 00:01:00, and at most Storage:StartupWait.", [nameof(StartupRetryDelay)]);
        }

        if (!QueueName().IsMatch(SmsQueueName ?? ""))
        {
            yield return new ValidationResult(
                $"Storage:SmsQueueName '{SmsQueueName}' is not a queue name: 3-49 lowercase letters, digits and single hyphens, not at either end (49 leaves room for -poison, and for the poison consumer's own -poison-poison, within 63).",
                [nameof(SmsQueueName)]);
        }
    }

    [GeneratedRegex("^(?!.*--)[a-z0-9][a-z0-9-]{1,47}[a-z0-9]$")]
    private static partial Regex QueueName();
}
