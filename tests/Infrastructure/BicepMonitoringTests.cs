using System.Text.Json;
using System.Text.RegularExpressions;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>
/// The alerts and the workbook of infra/app/monitoring.bicep, read from main.bicep compiled to ARM
/// JSON: each alert exists, watches its metric and notifies the action group; the workbook charts
/// every metric the app emits.
/// </summary>
public sealed partial class BicepMonitoringTests
{
    private const string ActionGroupType = "Microsoft.Insights/actionGroups";
    private const string RuleType = "Microsoft.Insights/scheduledQueryRules";
    private const string WorkbookType = "Microsoft.Insights/workbooks";

    /// <summary>Every metric the app sends to customMetrics; the workbook must chart each.</summary>
    public static TheoryData<string> Metrics { get; } =
    [
        "festival.reservations",
        "festival.commit.duration",
        "festival.commit.batch_size",
        "festival.commit.conflicts",
        "festival.allotment.moves",
        "festival.sms",
        "festival.sms.queue_age",
        "festival.rate_limit.refusals",
    ];

    /// <summary>Each alert (the start of its resource name) and what its query must name.</summary>
    public static TheoryData<string, string[]> Rules { get; } = new()
    {
        { "sms-poisoned", ["customMetrics", "\"festival.sms\"", "\"poisoned\""] },
        { "http-5xx-rate", ["requests", "resultCode", ">= 500", "total >= 20"] },
        { "commit-412-rate", ["customMetrics", "\"festival.commit.conflicts\"", "\"festival.commit.batch_size\""] },
        { "storage-throttling", ["dependencies", "Azure table", "Azure queue", "\"503\"", "ServerBusy"] },
    };

    [Fact]
    public void MainTemplate_HasExactlyTheFourAlertRules()
    {
        var names = Resources(RuleType).Select(rule => rule.GetProperty("name").GetString()!).ToList();

        Assert.Equal(Rules.Count, names.Count);
        foreach (var name in Rules.Select(row => (string)row[0]))
        {
            Assert.Single(names, candidate => candidate.Contains($"'{name}-", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void AlertRule_QueriesItsTelemetry_AndNotifiesTheActionGroup(string name, string[] queryNames)
    {
        var rule = Rule(name);
        var properties = rule.GetProperty("properties");

        var criteria = properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray().ToList();
        var criterion = Assert.Single(criteria);
        var query = criterion.GetProperty("query").GetString()!;
        foreach (var expected in queryNames)
        {
            Assert.Contains(expected, query, StringComparison.Ordinal);
        }

        Assert.Contains("Microsoft.Insights/components", Assert.Single(properties.GetProperty("scopes").EnumerateArray()).GetString());
        Assert.True(properties.GetProperty("autoMitigate").GetBoolean());
        Assert.True(properties.GetProperty("enabled").GetBoolean());

        // The rule's action is the action group's id: resourceId(type, the action group's own name expression).
        var actionGroupName = Unbracket(Assert.Single(Resources(ActionGroupType)).GetProperty("name").GetString()!);
        var actions = properties.GetProperty("actions").GetProperty("actionGroups").EnumerateArray()
            .Select(action => action.GetString()!).ToList();
        Assert.Contains(actions, action =>
            action.Contains($"resourceId('{ActionGroupType}', {actionGroupName})", StringComparison.Ordinal));
    }

    [Fact]
    public void ActionGroup_EmailsAlertEmail_OnlyWhenItIsSet()
    {
        var receivers = Assert.Single(Resources(ActionGroupType)).GetProperty("properties").GetProperty("emailReceivers").GetString()!;

        Assert.StartsWith("[if(empty(parameters('alertEmail')), createArray(),", receivers, StringComparison.Ordinal);

        using var main = MainTemplate();
        var module = Module(main.RootElement);
        Assert.Equal("[parameters('alertEmail')]",
            module.GetProperty("properties").GetProperty("parameters").GetProperty("alertEmail").GetProperty("value").GetString());
        Assert.Equal("", main.RootElement.GetProperty("parameters").GetProperty("alertEmail").GetProperty("defaultValue").GetString());

        using var parameters = JsonDocument.Parse(File.ReadAllText(BuildMetadata.InRepository("infra", "main.parameters.json")));
        Assert.True(parameters.RootElement.GetProperty("parameters").TryGetProperty("alertEmail", out _));
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Workbook_ChartsMetric(string metric)
    {
        using var workbook = JsonDocument.Parse(WorkbookData());
        var queries = workbook.RootElement.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("type").GetInt32() == 3)
            .Select(item => item.GetProperty("content").GetProperty("query").GetString()!);

        Assert.Contains(queries, query => query.Contains($"\"{metric}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Workbook_IsSharedAndBelongsToApplicationInsights()
    {
        var workbook = Assert.Single(Resources(WorkbookType));

        Assert.Equal("shared", workbook.GetProperty("kind").GetString());
        Assert.Contains($"resourceId('Microsoft.Insights/components',",
            workbook.GetProperty("properties").GetProperty("sourceId").GetString(), StringComparison.Ordinal);
        Assert.Contains("requests", WorkbookData(), StringComparison.Ordinal);
    }

    private static JsonDocument MainTemplate()
    {
        var build = BicepCli.BuildMainTemplate();
        Assert.True(build.IsClean, build.ToString());
        return JsonDocument.Parse(build.StandardOutput);
    }

    private static JsonElement Module(JsonElement main) =>
        main.GetProperty("resources").EnumerateArray().Single(resource => resource.GetProperty("name").GetString() == "alerts");

    private static JsonElement Template()
    {
        using var main = MainTemplate();
        return Module(main.RootElement).GetProperty("properties").GetProperty("template").Clone();
    }

    /// <summary>The resources of the alerts module of a type (an array, or the symbolic-name object of languageVersion 2.0).</summary>
    private static List<JsonElement> Resources(string type)
    {
        var resources = Template().GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(property => property.Value).ToList();
        return all.Where(resource => string.Equals(resource.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static JsonElement Rule(string name)
    {
        var rules = Resources(RuleType);
        return Assert.Single(rules, rule => rule.GetProperty("name").GetString()!.Contains($"'{name}-", StringComparison.Ordinal));
    }

    /// <summary>The workbook's serializedData; Bicep puts loadTextContent's text in a variable.</summary>
    private static string WorkbookData()
    {
        var template = Template();
        var data = Assert.Single(Resources(WorkbookType)).GetProperty("properties").GetProperty("serializedData").GetString()!;
        var variable = VariableReference().Match(data);
        return variable.Success
            ? template.GetProperty("variables").GetProperty(variable.Groups[1].Value).GetString()!
            : data;
    }

    private static string Unbracket(string expression) =>
        expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : $"'{expression}'";

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();
}
