//! Bar charts drawn as SVG on the server: they show without JavaScript,
//! print well and cost the browser bundle nothing.

use leptos::prelude::*;

/// Plot area in SVG units; the SVG scales to its box.
const WIDTH: i64 = 640;
const HEIGHT: i64 = 180;
const BOTTOM: i64 = 24;

/// One series: its CSS class (colour) and legend text.
pub struct Series {
    pub class: &'static str,
    pub legend: String,
}

/// Groups of bars, one group per label; `values[g][s]` is series `s` in
/// group `g`, in any unit (fen, basis points), never negative on the chart.
/// `describe` renders a value for the bar's tooltip.
#[component]
pub fn BarChart(
    title: String,
    series: Vec<Series>,
    labels: Vec<String>,
    values: Vec<Vec<i64>>,
    describe: Box<dyn Fn(i64) -> String + Send + Sync>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let top = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    let groups = labels.len().max(1) as i64;
    let per_group = WIDTH / groups;
    let n = series.len().max(1) as i64;
    let bar = ((per_group - 8) / n).max(2);
    let plot = HEIGHT - BOTTOM;
    let bars = values
        .iter()
        .enumerate()
        .flat_map(|(g, group)| {
            group
                .iter()
                .enumerate()
                .map(move |(s, v)| (g as i64, s as i64, *v))
        })
        .map(|(g, s, v)| {
            let h = v.max(0) * plot / top;
            let class = series.get(s as usize).map_or("", |x| x.class);
            let tip = format!(
                "{} {}: {}",
                labels.get(g as usize).cloned().unwrap_or_default(),
                series.get(s as usize).map_or("", |x| x.legend.as_str()),
                describe(v)
            );
            view! {
                <rect class=class x=g * per_group + 4 + s * bar y=plot - h width=bar - 1 height=h>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let ticks = labels
        .iter()
        .enumerate()
        .map(|(g, l)| {
            view! {
                <text x=g as i64 * per_group + per_group / 2 y=HEIGHT - 6 text-anchor="middle">{l.clone()}</text>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|s| view! { <li><span class=format!("swatch {}", s.class)></span>{s.legend.clone()}</li> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title preserveAspectRatio="none">
                <line class="axis" x1="0" y1=plot x2=WIDTH y2=plot />
                {bars}
                {ticks}
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}
