using System.Text.Json;
using FestivalReservations.Testing;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// axe-core from node_modules (package.json pins it; nothing comes from a CDN), put into the page
/// through Playwright's evaluate, which the page's CSP (script-src 'self') does not stop, and run
/// with the WCAG 2.0, 2.1 and 2.2 A/AA rules and axe's best practices (which hold the rules
/// Lighthouse's accessibility category adds: heading order, landmarks, empty headings).
/// </summary>
public static class Axe
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(RepositoryPaths.Root, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"axe-core is missing at {path}: run npm ci (bash scripts/test.sh does).");
        }

        return File.ReadAllText(path);
    });

    /// <summary>Each violation as "rule (impact): help — target: why", one per failing node.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async (tags) => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return result.violations.flatMap((v) => v.nodes.map((n) =>
                `${v.id} (${v.impact}): ${v.help} - ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`));
            }
            """, Tags);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>Fails with every violation when the page, as it is now, breaks a rule.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string state)
    {
        var violations = await ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) in '{state}':\n" + string.Join("\n", violations));
    }
}
