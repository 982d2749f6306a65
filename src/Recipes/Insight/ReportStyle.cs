namespace Recipes.Insight;

/// <summary>The report's inline style and script: readable on a phone (390 px) and on a wide screen, printable.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { --ok: #1a7f37; --bad: #cf222e; --warn: #bf8700; --back: #8250df; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f8fa; }
        main { max-width: 1100px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 28px 0 8px; } h3 { font-size: 1rem; margin: 0 0 4px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-top: 16px; }
        .muted { color: var(--muted); } .note { color: var(--warn); }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
        .figure { font-size: 1.1rem; font-weight: 600; margin: 2px 0; }
        .level { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; background: var(--muted); text-transform: uppercase; font-size: .75rem; }
        .level.elite { background: var(--ok); } .level.high { background: #2f81f7; } .level.medium { background: var(--warn); } .level.low { background: var(--bad); }
        svg { width: 100%; height: auto; display: block; margin-top: 6px; }
        .axis { stroke: var(--line); } .series { fill: none; stroke: #2f81f7; stroke-width: 2; } .point { fill: #2f81f7; }
        .tick, .label { font-size: 10px; fill: var(--muted); } .tick.end { text-anchor: end; }
        .mark.ok, .dot.ok { fill: var(--ok); background: var(--ok); } .mark.failed, .dot.failed { fill: var(--bad); background: var(--bad); }
        .mark.rolled-back, .dot.rolled-back { fill: var(--warn); background: var(--warn); } .mark.rollback, .dot.rollback { fill: var(--back); background: var(--back); }
        .bar { fill: var(--ok); } .bar.failed { fill: var(--bad); } .bar.skipped { fill: var(--line); }
        .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin: 0 4px 0 10px; }
        .scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        tr.failed td:first-child { border-left: 3px solid var(--bad); } tr.rolled-back td:first-child { border-left: 3px solid var(--warn); }
        tr.rollback td:first-child { border-left: 3px solid var(--back); }
        .steps { margin: 0; padding-left: 18px; } .steps .failed { color: var(--bad); }
        code.digest { display: inline-block; max-width: 16ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: pointer; vertical-align: bottom; }
        code.digest.open { max-width: none; white-space: normal; word-break: break-all; }
        @media (max-width: 480px) { main { padding: 8px; } section { padding: 8px; } th, td { padding: 3px 4px; } }
        """;

    /// <summary>A click on a digest shows it whole; everything else works without script.</summary>
    public const string Script = """
        document.querySelectorAll("code.digest").forEach(function (code) {
          code.addEventListener("click", function () { code.classList.toggle("open"); });
        });
        """;
}
