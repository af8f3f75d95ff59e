// Line charts drawn by uPlot (vendor/uplot). A chart keeps every point it is given but draws at most about one point
// per two pixels: longer series are thinned by largest-triangle-three-buckets on the first series, the same
// iterations kept for the others, so a 200- or 2,000-iteration run draws as fast as a short one.

import {h} from './dom.js';

export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

export class LineChart {
    /**
     * @param title   caption, also the chart's accessible name
     * @param series  [{label, color?, dash?, percent?}]
     */
    constructor(title, series, {percent = false, height = 220, xLabel = 'iteration', xMax = null} = {}) {
        this.xMax = xMax;
        this.title = title;
        this.series = series;
        this.percent = percent;
        this.height = height;
        this.xs = [];
        this.ys = series.map(() => []);
        this.plotArea = h('div', {class: 'chart-plot'});
        this.element = h('figure', {class: 'chart', role: 'img', 'aria-label': title, 'data-points': '0', 'data-chart': title},
            h('figcaption', {}, title), this.plotArea);
        this.xLabel = xLabel;
        this.plot = null;
        this.observer = new ResizeObserver(() => this.resize());
        this.observer.observe(this.element);
    }

    /** Replaces all points: xs ascending, ys one array per series (null for a gap). */
    setData(xs, ys) {
        this.xs = xs.slice();
        this.ys = ys.map(s => s.slice());
        this.redraw();
    }

    /** Adds or replaces the point at x (an iteration that arrives live). */
    add(x, values) {
        const at = this.xs.indexOf(x);
        if (at >= 0) values.forEach((v, i) => { this.ys[i][at] = v; });
        else {
            this.xs.push(x);
            values.forEach((v, i) => this.ys[i].push(v));
        }
        this.redraw();
    }

    get points() {
        return this.xs.length;
    }

    redraw() {
        this.element.dataset.points = String(this.xs.length);
        this.element.setAttribute('aria-label', this.summary());
        if (!window.uPlot) return;
        const width = this.width();
        if (width <= 0) return;
        const data = thin([this.xs, ...this.ys], Math.max(20, Math.floor(width / 2)));
        if (!this.plot) this.plot = new window.uPlot(this.options(width), data, this.plotArea);
        else this.plot.setData(data);
        this.fitX();
    }

    /** The x axis runs from the first iteration to the run's last one (or the newest point), even with one point. */
    fitX() {
        if (!this.xs.length) return;
        const min = Math.min(0, this.xs[0]);
        const max = Math.max(this.xs[this.xs.length - 1], this.xMax ?? 0, min + 1);
        this.plot.setScale('x', {min, max});
    }

    resize() {
        const width = this.width();
        if (width <= 0) return;
        if (!this.plot) this.redraw();
        else {
            this.plot.setSize({width, height: this.height});
            this.plot.setData(thin([this.xs, ...this.ys], Math.max(20, Math.floor(width / 2))));
            this.fitX();
        }
    }

    width() {
        return Math.floor(this.plotArea.clientWidth || this.element.clientWidth);
    }

    summary() {
        const parts = this.series.map((s, i) => {
            const values = this.ys[i].filter(v => v !== null && v !== undefined);
            if (!values.length) return null;
            return `${s.label} latest ${this.format(values[values.length - 1])}`;
        }).filter(Boolean);
        return `${this.title}: ${this.xs.length} iterations${parts.length ? '; ' + parts.join(', ') : ''}`;
    }

    format(v) {
        return this.percent ? `${(v * 100).toFixed(1)} %` : Number(v).toPrecision(4);
    }

    options(width) {
        const styles = getComputedStyle(document.documentElement);
        const ink = styles.getPropertyValue('--ink-soft').trim() || '#555';
        const grid = styles.getPropertyValue('--grid').trim() || '#e5e7eb';
        const axis = {stroke: ink, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}};
        return {
            width, height: this.height,
            // iterations are whole numbers
            scales: {x: {time: false}, y: this.percent ? {range: [0, 1]} : {}},
            axes: [{...axis, label: this.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]},
                {...axis, values: (u, splits) => splits.map(v => this.percent ? `${Math.round(v * 100)}%` : fmtAxis(v))}],
            series: [{label: this.xLabel},
                ...this.series.map((s, i) => ({
                    label: s.label, stroke: s.color || PALETTE[i % PALETTE.length], width: 2, spanGaps: true,
                    dash: s.dash, points: {show: (u, si, i0, i1) => i1 - i0 < 60, size: 5},
                    value: (u, v) => v === null || v === undefined ? '—' : this.format(v),
                }))],
            cursor: {drag: {x: true, y: false}},
        };
    }
}

function fmtAxis(v) {
    const a = Math.abs(v);
    if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
    if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
    return a >= 10 || v === 0 ? String(Math.round(v)) : v.toFixed(2);
}

/** [xs, ...ys] reduced to at most max points (largest-triangle-three-buckets on ys[0], gaps kept as gaps). */
export function thin(columns, max) {
    const [xs, ...ys] = columns;
    const n = xs.length;
    if (n <= max) return columns;
    const primary = ys.find(s => s.some(v => v !== null && v !== undefined)) || ys[0];
    const value = i => primary[i] ?? 0;
    const keep = [0];
    const every = (n - 2) / (max - 2);
    let a = 0;
    for (let b = 0; b < max - 2; b++) {
        const start = Math.floor(b * every) + 1;
        const end = Math.min(Math.floor((b + 1) * every) + 1, n - 1);
        const nextStart = end, nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
        let avgX = 0, avgY = 0;
        for (let j = nextStart; j < nextEnd; j++) { avgX += xs[j]; avgY += value(j); }
        const count = Math.max(1, nextEnd - nextStart);
        avgX /= count; avgY /= count;
        let best = start, bestArea = -1;
        for (let j = start; j < end; j++) {
            const area = Math.abs((xs[a] - avgX) * (value(j) - value(a)) - (xs[a] - xs[j]) * (avgY - value(a)));
            if (area > bestArea) { bestArea = area; best = j; }
        }
        keep.push(best);
        a = best;
    }
    keep.push(n - 1);
    return columns.map(column => keep.map(i => column[i]));
}
