using System.Collections;
using System.Diagnostics;

namespace FestivalReservations.Testing;

/// <summary>
/// The environment of a child process, built from scratch: the few variables a process needs to
/// run at all, taken from ours, and the settings given. Nothing else passes: not a developer's
/// Twilio__*, Storage__*, Reservations__* or AzureWebJobs* settings, not ASPNETCORE_* or
/// DOTNET_ENVIRONMENT, not AZURITE_ACCOUNTS.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>What a child inherits: finding programs, a home and a temp folder, the locale, the .NET install.</summary>
    public static readonly IReadOnlyList<string> Inherited =
        ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TMP", "TEMP", "DOTNET_ROOT", "SYSTEMROOT", "USERPROFILE"];

    /// <summary>The variables of a child whose parent has <paramref name="parent"/>.</summary>
    public static IReadOnlyDictionary<string, string> Build(IDictionary parent, IReadOnlyDictionary<string, string> settings)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (parent[name] is string value)
            {
                variables[name] = value;
            }
        }

        foreach (var (name, value) in settings)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>Replaces the environment <paramref name="psi"/> would inherit with <see cref="Build"/>'s.</summary>
    public static void Apply(ProcessStartInfo psi, IReadOnlyDictionary<string, string> settings)
    {
        var variables = Build(Environment.GetEnvironmentVariables(), settings);
        psi.Environment.Clear();
        foreach (var (name, value) in variables)
        {
            psi.Environment[name] = value;
        }
    }
}
