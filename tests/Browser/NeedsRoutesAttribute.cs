using System.Reflection;
using System.Text.RegularExpressions;
using FestivalReservations.Functions.Pages;
using Microsoft.Azure.Functions.Worker;
using Xunit.Sdk;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// The HTTP routes of the functions app a page test relies on (parameter names and constraints
/// do not matter: api/staff/sms/{id}/retry = api/staff/sms/{messageId}/retry). A route that is
/// missing FAILS the test before it runs, naming the route; it is never a reason to skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed partial class NeedsRoutesAttribute(params string[] routes) : BeforeAfterTestAttribute
{
    private static readonly Lazy<HashSet<string>> Routes = new(() =>
        typeof(PageFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route)
            .OfType<string>()
            .Select(Shape)
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    public IReadOnlyList<string> Missing => [.. routes.Where(r => !Routes.Value.Contains(Shape(r)))];

    public override void Before(MethodInfo methodUnderTest)
    {
        if (Missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{methodUnderTest.Name} needs the route(s) {string.Join(", ", Missing)}, which the functions app does not have.");
        }
    }

    private static string Shape(string route) => Parameter().Replace(route.Trim('/'), "{}");

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Parameter();
}
