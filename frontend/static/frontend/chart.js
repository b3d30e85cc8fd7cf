// A horizontal bar chart drawn as SVG with createElementNS. No charting library: nothing to
// vendor, update or audit, and no inline styles or eval, so the page's strict
// Content-Security-Policy (style-src 'self') holds; the colours come from app.css classes.
const SVG = "http://www.w3.org/2000/svg";

function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

// bars: [{label, value, text}]; one <rect class="bar"> per item, in the given order.
// `width` is the room the chart gets on screen, so that its text keeps its size on a phone.
export function barChart(bars, { label, width: room = 640 }) {
  const width = Math.max(300, Math.min(960, Math.round(room)));
  const labelWidth = Math.round(Math.min(220, width * 0.36));
  const valueWidth = 48;
  const rowHeight = 28;
  const height = Math.max(bars.length, 1) * rowHeight;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "bar-chart",
    role: "img",
    "aria-label": label,
    preserveAspectRatio: "xMinYMin meet",
  });
  const title = svg("title");
  title.textContent = label;
  chart.append(title);
  const span = width - labelWidth - valueWidth;
  bars.forEach((bar, index) => {
    const y = index * rowHeight;
    const name = svg("text", { x: labelWidth - 8, y: y + rowHeight / 2, class: "bar-label" });
    // Long names are cut; the full name is in the table and in the bar's tooltip.
    const fits = Math.floor(labelWidth / 7.5);
    name.textContent = bar.label.length > fits ? `${bar.label.slice(0, fits - 1)}…` : bar.label;
    const rect = svg("rect", {
      x: labelWidth,
      y: y + 4,
      height: rowHeight - 8,
      width: Math.max(1, (bar.value / max) * span),
      class: "bar",
    });
    const tip = svg("title");
    tip.textContent = `${bar.label}: ${bar.text}`;
    rect.append(tip);
    const value = svg("text", {
      x: labelWidth + Math.max(1, (bar.value / max) * span) + 6,
      y: y + rowHeight / 2,
      class: "bar-value",
    });
    value.textContent = bar.text;
    chart.append(name, rect, value);
  });
  return chart;
}
