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
  // On a narrow screen each name goes on its own line above its bar: full library names fit.
  const stacked = width < 560;
  const labelWidth = stacked ? 0 : Math.round(Math.min(260, width * 0.4));
  const valueWidth = 48;
  const rowHeight = stacked ? 46 : 28;
  const barTop = stacked ? 22 : 4;
  const barHeight = stacked ? 18 : rowHeight - 8;
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
    const name = stacked
      ? svg("text", { x: 0, y: y + 11, class: "bar-label bar-label-above" })
      : svg("text", { x: labelWidth - 8, y: y + rowHeight / 2, class: "bar-label" });
    // Long names are cut; the full name is in the table and in the bar's tooltip.
    const fits = Math.floor((stacked ? width : labelWidth) / 7.5);
    name.textContent = bar.label.length > fits ? `${bar.label.slice(0, fits - 1)}…` : bar.label;
    const length = Math.max(1, (bar.value / max) * span);
    const rect = svg("rect", { x: labelWidth, y: y + barTop, height: barHeight, width: length, class: "bar" });
    const tip = svg("title");
    tip.textContent = `${bar.label}: ${bar.text}`;
    rect.append(tip);
    const value = svg("text", { x: labelWidth + length + 6, y: y + barTop + barHeight / 2, class: "bar-value" });
    value.textContent = bar.text;
    chart.append(name, rect, value);
  });
  return chart;
}
