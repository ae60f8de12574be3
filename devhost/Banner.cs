using System.Text;
using FestivalReservations.DevHost.Http;
using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost;

/// <summary>The start-up listing of functions, in the shape `func start` prints it.</summary>
public static class Banner
{
    private const string Indent = "        ";

    public static string Render(string baseUrl, FunctionCatalog catalog, FunctionKeyAuthorizer authorizer, DevHostNotes notes)
    {
        var text = new StringBuilder().AppendLine().AppendLine("Functions:").AppendLine();
        foreach (var function in catalog.Functions)
        {
            var trigger = function.Trigger;
            if (trigger.TriggerKind == TriggerKind.Http)
            {
                var methods = trigger.Methods.Count == 0 ? "ALL" : string.Join(",", trigger.Methods);
                text.AppendLine($"{Indent}{function.Name}: [{methods}] {baseUrl.TrimEnd('/')}/{catalog.Host.RouteTemplate(trigger, function.Name)}");
            }
            else
            {
                text.AppendLine($"{Indent}{function.Name}: {trigger.Type}");
            }
        }

        text.AppendLine();
        var keyed = catalog.Functions.Any(f => f.Trigger.TriggerKind == TriggerKind.Http && !FunctionKeyAuthorizer.IsAnonymous(f.Trigger.AuthLevel));
        if (!authorizer.HasKey)
        {
            text.AppendLine($"No function key configured (DevHost:FunctionKey): {(keyed ? "Function- and Admin-level routes" : "key-protected routes")} answer 401.");
        }
        else
        {
            text.AppendLine($"Function- and Admin-level routes take DevHost:FunctionKey in the {FunctionKeyAuthorizer.HeaderName} header or ?{FunctionKeyAuthorizer.QueryName}=.");
        }

        foreach (var line in notes.Lines)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }
}
