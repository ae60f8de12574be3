using System.Collections;
using System.Reflection;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>
/// Every setting the app reads, found the way the app binds them: each public class named *Options
/// with a <c>public const string Section</c>, each public settable property → <c>Section__Property</c>
/// (nested option objects → <c>Section__Property__Inner</c>).
/// </summary>
internal static class OptionsSettings
{
    public static readonly string[] AppAssemblies = ["FestivalReservations.Core", "FestivalReservations.Functions"];

    public static IReadOnlyList<string> Discover() =>
        Discover([.. AppAssemblies.Select(name => Assembly.Load(new AssemblyName(name)))]);

    public static IReadOnlyList<string> Discover(IEnumerable<Assembly> assemblies) =>
        [.. assemblies
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(type => (Type: type, Section: SectionOf(type)))
            .Where(options => options.Section is not null)
            .SelectMany(options => SettingsOf(options.Type, options.Section!))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
            && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;

    private static IEnumerable<string> SettingsOf(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            .SelectMany(property => IsValue(property.PropertyType)
                ? [$"{prefix}__{property.Name}"]
                : SettingsOf(property.PropertyType, $"{prefix}__{property.Name}"));

    /// <summary>A type bound from one string (collections count as one setting too).</summary>
    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return !type.IsClass || type == typeof(string) || type == typeof(Uri) || typeof(IEnumerable).IsAssignableFrom(type);
    }
}
