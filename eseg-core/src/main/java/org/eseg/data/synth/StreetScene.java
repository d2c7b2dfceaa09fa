package org.eseg.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints one synthetic street scene and its Cityscapes label ids.
 *
 * <p>Geometry: a flat ground plane seen from a camera at height 1 (the unit of all world sizes). The horizon is
 * row {@code yh}; a ground point at depth parameter {@code t} (0 at the horizon, 1 at the bottom row) lies on row
 * {@code yh + t·gh} and one world unit there spans {@code t·gh} pixels. Road, sidewalks and the building
 * facades on both sides are bounded by lines through the vanishing point; trees, poles with signs, people and cars
 * stand on the ground and are painted far to near.
 *
 * <p>Learnability: every class has its own colour range and texture (road dark and fine-grained with markings,
 * sidewalk lighter with tiles, facades in warm or grey tones with window grids, vegetation green and noisy, sky
 * blue with a gradient, signs saturated, people with skin-coloured heads), with random variation, lighting and
 * noise; every scene contains all nine classes, and people, poles and signs are never smaller than a few pixels.
 */
final class StreetScene {

    static final int ROAD = 7;
    static final int SIDEWALK = 8;
    static final int BUILDING = 11;
    static final int POLE = 17;
    static final int SIGN = 20;
    static final int VEGETATION = 21;
    static final int SKY = 23;
    static final int PERSON = 24;
    static final int CAR = 26;

    private static final float[][] FACADES = {
        {180, 160, 130}, {150, 90, 70}, {130, 130, 135}, {200, 190, 170}, {120, 100, 85}, {170, 140, 110},
        {110, 115, 125}, {190, 170, 150},
    };
    private static final float[][] CAR_COLOURS = {
        {200, 200, 205}, {30, 30, 35}, {150, 20, 25}, {25, 50, 130}, {90, 90, 95}, {230, 230, 230},
        {40, 80, 60}, {160, 150, 140},
    };
    private static final float[][] SKIN = {{230, 190, 160}, {200, 150, 110}, {150, 100, 70}, {100, 65, 45}};

    private final SplittableRandom rng;
    private final Canvas c;
    private final ValueNoise noise;
    private final int h;
    private final int w;
    private final double yh;
    private final double gh;
    private final double vx;
    private final double roadL;
    private final double roadR;
    private final double sideL;
    private final double sideR;
    private final List<Building> left = new ArrayList<>();
    private final List<Building> right = new ArrayList<>();

    private record Building(double d0, double d1, double height, float[] colour, double floor, double winSpacing,
            boolean lit, boolean hedge) {}

    private record Thing(double t, Runnable paint) {}

    private StreetScene(int h, int w, long seed) {
        this.rng = new SplittableRandom(seed);
        this.h = h;
        this.w = w;
        this.c = new Canvas(h, w);
        this.noise = new ValueNoise(rng.nextInt());
        this.yh = h * u(0.36, 0.46);
        this.gh = h - yh;
        this.vx = w * u(0.4, 0.6);
        // Lateral positions as pixel offsets from the vanishing point on the bottom row (t = 1).
        this.roadL = -w * u(0.2, 0.32);
        this.roadR = w * u(0.2, 0.32);
        this.sideL = roadL - w * u(0.16, 0.28);
        this.sideR = roadR + w * u(0.16, 0.28);
        makeBuildings(left);
        makeBuildings(right);
    }

    /**
     * Renders a scene.
     *
     * @param h rows
     * @param w columns
     * @param seed the scene's seed
     * @return the image and label ids
     */
    static SynthImage render(int h, int w, long seed) {
        return new StreetScene(h, w, seed).paint();
    }

    private double u(double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private float jitter(float v, double amount) {
        return (float) (v * (1 + u(-amount, amount)));
    }

    private float[] vary(float[] rgb, double amount) {
        double s = u(-amount, amount);
        return new float[] {jitter((float) (rgb[0] * (1 + s)), amount / 2), jitter((float) (rgb[1] * (1 + s)),
                amount / 2), jitter((float) (rgb[2] * (1 + s)), amount / 2)};
    }

    private void makeBuildings(List<Building> side) {
        double d = 0.2;
        while (d < 80) {
            double len = u(0.5, 2.2) * Math.max(1, d * 0.35);
            double height = rng.nextInt(5) == 0 ? u(4, 7) : u(1.5, 4.2);
            side.add(new Building(d, d + len, height, vary(FACADES[rng.nextInt(FACADES.length)], 0.12),
                    u(0.9, 1.3), u(0.25, 0.55), rng.nextInt(4) == 0, rng.nextInt(3) == 0));
            d += len;
        }
    }

    private SynthImage paint() {
        paintBackground();
        List<Thing> things = new ArrayList<>();
        int trees = 1 + rng.nextInt(4);
        for (int i = 0; i < trees; i++) {
            boolean l = rng.nextBoolean();
            double t = u(0.15, 0.9);
            double lat = l ? sideL + (roadL - sideL) * u(0.05, 0.3) : sideR - (sideR - roadR) * u(0.05, 0.3);
            things.add(new Thing(t, () -> tree(t, lat)));
        }
        int poles = 2 + rng.nextInt(3);
        for (int i = 0; i < poles; i++) {
            boolean l = i == 0 || (i > 1 && rng.nextBoolean());
            double t = u(0.2, 0.75);
            double lat = l ? roadL + (sideL - roadL) * u(0.08, 0.25) : roadR + (sideR - roadR) * u(0.08, 0.25);
            boolean sign = i < 2 || rng.nextBoolean();
            things.add(new Thing(t, () -> pole(t, lat, sign)));
        }
        int people = 2 + rng.nextInt(4);
        for (int i = 0; i < people; i++) {
            double t = u(0.3, 0.85);
            double lat;
            if (rng.nextInt(5) == 0) {
                lat = roadL + (roadR - roadL) * u(0.1, 0.9); // crossing the road
            } else if (rng.nextBoolean()) {
                lat = sideL + (roadL - sideL) * u(0.3, 0.85);
            } else {
                lat = sideR - (sideR - roadR) * u(0.3, 0.85);
            }
            things.add(new Thing(t, () -> person(t, lat)));
        }
        int cars = 1 + rng.nextInt(4);
        for (int i = 0; i < cars; i++) {
            double t = u(0.2, 0.95);
            double lat = roadL + (roadR - roadL) * u(0.2, 0.8);
            things.add(new Thing(t, () -> car(t, lat)));
        }
        things.sort((a, b) -> Double.compare(a.t, b.t)); // far first: near things cover far ones
        for (Thing th : things) {
            th.paint.run();
        }
        return finish();
    }

    // ---------------------------------------------------------------- background: sky, facades, road, sidewalk

    private void paintBackground() {
        float[] skyTop = vary(new float[] {60, 110, 190}, 0.15);
        float[] skyLow = vary(new float[] {170, 200, 230}, 0.1);
        float cloud = (float) u(0, 0.6);
        float[] road = vary(new float[] {85, 85, 90}, 0.18);
        float[] walk = vary(rng.nextBoolean() ? new float[] {165, 160, 150} : new float[] {175, 140, 130}, 0.1);
        float[] mark = rng.nextInt(3) == 0 ? new float[] {220, 190, 60} : new float[] {225, 225, 225};
        double tile = u(0.25, 0.45);
        double shadowLat = u(-1.5, 1.5) * w; // building shadow over part of the ground
        float shadow = (float) u(0.55, 0.85);
        for (int y = 0; y < h; y++) {
            double t = (y + 0.5 - yh) / gh;
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - vx;
                // facade hit test: the column's base lies on the outer sidewalk line of its side
                double tb = dx < 0 ? dx / sideL : dx / sideR;
                if (tb > 1e-4) {
                    List<Building> side = dx < 0 ? left : right;
                    Building bld = find(side, 1 / tb);
                    double base = yh + tb * gh;
                    double z = (base - (y + 0.5)) / (tb * gh); // height above ground in world units
                    if (z >= 0 && z < bld.height) {
                        facade(x, y, bld, 1 / tb, z, tb);
                        continue;
                    }
                }
                if (t <= 0) {
                    float f = (float) ((y + 0.5) / yh);
                    float n = noise.fbm(x * 6f / w, y * 12f / w);
                    float cl = Math.max(0, n - 0.55f) * 2.2f * cloud;
                    float rr = skyTop[0] + (skyLow[0] - skyTop[0]) * f;
                    float gg = skyTop[1] + (skyLow[1] - skyTop[1]) * f;
                    float bb = skyTop[2] + (skyLow[2] - skyTop[2]) * f;
                    c.set(x, y, SKY, rr + (235 - rr) * cl, gg + (235 - gg) * cl, bb + (240 - bb) * cl);
                    continue;
                }
                double lat = dx / t; // lateral position at t = 1
                float sh = lat < shadowLat == shadowLat < 0 ? shadow : 1f;
                if (lat > roadL && lat < roadR) {
                    float grain = 0.9f + 0.2f * noise.at(x * 0.9f, y * 0.9f);
                    float[] col = road;
                    double dd = 1 / t;
                    boolean centre = Math.abs(lat) < w * 0.012 && (dd * 1.3) % 1.0 < 0.5;
                    boolean edge = Math.min(lat - roadL, roadR - lat) < w * 0.01;
                    if (centre || edge) {
                        col = mark;
                        grain = 0.95f + 0.05f * grain;
                    }
                    c.set(x, y, ROAD, col, grain * sh);
                } else {
                    double dd = 1 / t;
                    boolean curb = lat > roadL - w * 0.015 && lat < roadR + w * 0.015;
                    boolean joint = (dd / tile) % 1.0 < 0.07 || ((lat / (w * 0.06)) % 1.0 + 1) % 1.0 < 0.07;
                    float grain = 0.93f + 0.14f * noise.at(x * 0.5f + 300, y * 0.5f);
                    float shade = curb ? 1.12f : joint ? 0.82f : 1f;
                    c.set(x, y, SIDEWALK, walk, grain * shade * sh);
                }
            }
        }
    }

    private static Building find(List<Building> side, double d) {
        for (Building b : side) {
            if (d < b.d1) {
                return b;
            }
        }
        return side.get(side.size() - 1);
    }

    private void facade(int x, int y, Building b, double d, double z, double tb) {
        if (b.hedge && z < 0.55 + 0.1 * noise.at(x * 0.3f, 0)) {
            vegetationPixel(x, y, 0.9f);
            return;
        }
        float grain = 0.92f + 0.16f * noise.at(x * 0.7f + 50, y * 0.7f);
        boolean cornice = b.height - z < 0.18;
        double fz = (z / b.floor) % 1.0;
        double fd = ((d - b.d0) / b.winSpacing) % 1.0;
        boolean window = z > 1.1 && b.height - z > 0.35 && fz > 0.3 && fz < 0.78 && fd > 0.28 && fd < 0.78
                && (b.d1 - d) > b.winSpacing * 0.3;
        boolean shop = z < 0.9 && z > 0.1 && fd > 0.15 && fd < 0.85;
        if (window || shop) {
            float lit = b.lit && noise.lattice((int) (d / b.winSpacing), (int) (z / b.floor)) > 0.6f ? 1 : 0;
            float v = 55 + 30 * noise.at(x * 0.2f, y * 0.2f);
            c.set(x, y, BUILDING, v * 0.9f + lit * 150, v + lit * 130, v * 1.15f + lit * 40);
        } else {
            float s = cornice ? 0.75f : 1f;
            c.set(x, y, BUILDING, b.colour, grain * s);
        }
    }

    private void vegetationPixel(int x, int y, float shade) {
        float n = noise.at(x * 0.8f + 1000, y * 0.8f);
        float n2 = noise.at(x * 0.25f + 2000, y * 0.25f);
        float v = (0.55f + 0.7f * n) * shade;
        c.set(x, y, VEGETATION, (40 + 50 * n2) * v, (95 + 45 * n2) * v, (30 + 20 * n) * v);
    }

    // ---------------------------------------------------------------- objects standing on the ground

    private double xOf(double t, double lat) {
        return vx + lat * t;
    }

    private double yOf(double t) {
        return yh + t * gh;
    }

    private void tree(double t, double lat) {
        double s = t * gh; // pixels per world unit here
        double x = xOf(t, lat);
        double y = yOf(t);
        double trunkW = Math.max(2, 0.1 * s);
        double trunkH = u(1.3, 2.0) * s;
        float[] bark = vary(new float[] {90, 70, 50}, 0.15);
        c.box(x - trunkW / 2, y - trunkH, x + trunkW / 2, y, VEGETATION,
                (px, py, id) -> c.set(px, py, id, bark, 0.85f + 0.3f * noise.at(px * 0.9f, py * 0.3f)));
        double rx = u(0.7, 1.1) * s;
        double ry = u(0.9, 1.4) * s;
        double cy = y - trunkH - ry * 0.7;
        float shade = (float) u(0.75, 1.15);
        float off = (float) u(0, 100);
        c.ellipse(x, cy, rx * 1.15, ry * 1.15, VEGETATION, (px, py, id) -> {
            double dx = (px + 0.5 - x) / rx;
            double dy = (py + 0.5 - cy) / ry;
            double edge = 0.75 + 0.45 * noise.fbm((float) (px / (0.25 * s)) + off, (float) (py / (0.25 * s)));
            if (dx * dx + dy * dy < edge * edge) {
                vegetationPixel(px, py, shade);
            }
        });
    }

    private void pole(double t, double lat, boolean withSign) {
        double s = t * gh;
        double x = xOf(t, lat);
        double y = yOf(t);
        double pw = Math.max(4, u(0.12, 0.16) * s);
        double ph = u(2.6, 3.4) * s;
        float[] metal = vary(rng.nextBoolean() ? new float[] {105, 110, 118} : new float[] {60, 75, 70}, 0.15);
        c.box(x - pw / 2, y - ph, x + pw / 2, y, POLE, (px, py, id) -> {
            double across = (px + 0.5 - (x - pw / 2)) / pw; // cylinder shading
            float sh = (float) (0.7 + 0.6 * across * (1 - across) * 2);
            c.set(px, py, id, metal, sh);
        });
        if (!withSign) {
            return;
        }
        double size = Math.max(6, u(0.45, 0.7) * s);
        // keep the sign inside the picture: near poles carry it lower
        double cy = Math.max(size * 0.6 + 1, y - u(1.9, 2.4) * s);
        double cx = x + (lat < 0 ? 1 : -1) * u(0, 0.5) * size;
        int kind = rng.nextInt(5);
        float shade = (float) u(0.85, 1.1);
        switch (kind) {
            case 0 -> c.ellipse(cx, cy, size / 2, size / 2, SIGN, (px, py, id) -> { // prohibitory: red ring
                double ddx = px + 0.5 - cx;
                double ddy = py + 0.5 - cy;
                double r = Math.sqrt(ddx * ddx + ddy * ddy) / (size / 2);
                c.set(px, py, id, r > 0.72 ? new float[] {200, 20, 30} : new float[] {240, 240, 240}, shade);
            });
            case 1 -> c.ellipse(cx, cy, size / 2, size / 2, SIGN, (px, py, id) -> { // mandatory: blue with arrow
                boolean arrow = Math.abs(px + 0.5 - cx) < size * 0.08 && Math.abs(py + 0.5 - cy) < size * 0.3;
                c.set(px, py, id, arrow ? new float[] {240, 240, 240} : new float[] {20, 70, 180}, shade);
            });
            case 2 -> c.box(cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2, SIGN, (px, py, id) -> {
                double fy = (py + 0.5 - (cy - size / 2)) / size; // warning triangle, point up
                double half = fy * 0.5;
                double fx = Math.abs(px + 0.5 - cx) / size;
                if (fx <= half) {
                    boolean border = fx > half - 0.12 || fy > 0.86;
                    c.set(px, py, id, border ? new float[] {200, 25, 30} : new float[] {245, 240, 230}, shade);
                }
            });
            case 3 -> c.box(cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2, SIGN, (px, py, id) -> {
                double fx = Math.abs(px + 0.5 - cx) / size; // priority diamond
                double fy = Math.abs(py + 0.5 - cy) / size;
                if (fx + fy <= 0.5) {
                    boolean inner = fx + fy < 0.34;
                    c.set(px, py, id, inner ? new float[] {240, 190, 20} : new float[] {240, 240, 240}, shade);
                }
            });
            default -> c.box(cx - size * 0.6, cy - size * 0.4, cx + size * 0.6, cy + size * 0.4, SIGN,
                    (px, py, id) -> { // information panel
                        boolean border = Math.abs(px + 0.5 - cx) > size * 0.5 || Math.abs(py + 0.5 - cy) > size * 0.3;
                        c.set(px, py, id, border ? new float[] {235, 235, 235} : new float[] {30, 90, 170}, shade);
                    });
        }
    }

    private void person(double t, double lat) {
        double s = t * gh;
        double x = xOf(t, lat);
        double y = yOf(t);
        double height = u(1.05, 1.25) * s;
        double width = Math.max(4, u(0.34, 0.42) * s);
        float[] shirt = {(float) u(20, 235), (float) u(20, 235), (float) u(20, 235)};
        float[] pants = vary(new float[][] {{40, 45, 70}, {30, 30, 30}, {90, 75, 60}, {70, 80, 100}}[rng.nextInt(4)],
                0.15);
        float[] skin = vary(SKIN[rng.nextInt(SKIN.length)], 0.08);
        float[] hair = vary(new float[][] {{30, 25, 20}, {90, 60, 30}, {160, 130, 80}}[rng.nextInt(3)], 0.1);
        double stride = u(0, 0.25) * width;
        double hip = y - 0.47 * height;
        double legW = Math.max(1.5, 0.3 * width);
        c.box(x - width * 0.28 - stride, hip, x - width * 0.28 - stride + legW, y, PERSON,
                (px, py, id) -> c.set(px, py, id, pants, 0.9f));
        c.box(x + width * 0.28 + stride - legW, hip, x + width * 0.28 + stride, y, PERSON,
                (px, py, id) -> c.set(px, py, id, pants, 1f));
        double shoulder = y - 0.83 * height;
        c.box(x - width / 2, shoulder, x + width / 2, hip + 0.02 * height, PERSON, (px, py, id) -> {
            float fold = 0.85f + 0.25f * noise.at(px * 0.5f + 700, py * 0.5f);
            c.set(px, py, id, shirt, fold);
        });
        double hr = Math.max(1.5, 0.085 * height);
        double hy = shoulder - hr * 0.9;
        c.ellipse(x, hy, hr * 0.85, hr, PERSON, (px, py, id) -> c.set(px, py, id, py + 0.5 < hy - hr * 0.3 ? hair
                : skin, 1f));
    }

    private void car(double t, double lat) {
        double s = t * gh;
        double x = xOf(t, lat);
        double y = yOf(t);
        double cw = u(1.15, 1.35) * s;
        float[] paint = vary(CAR_COLOURS[rng.nextInt(CAR_COLOURS.length)], 0.1);
        float[] glass = vary(new float[] {45, 55, 70}, 0.2);
        double body0 = y - 0.12 * s;
        double body1 = y - u(0.5, 0.6) * s;
        double roof = y - u(0.9, 1.05) * s;
        // shadow on the road below the car (labelled road: it is the road's colour, darker)
        c.box(x - cw * 0.55, y - 0.04 * s, x + cw * 0.55, y + 0.03 * s, ROAD, (px, py, id) -> {
            int i = py * c.w + px;
            c.set(px, py, c.label[i], c.r[i] * 0.4f, c.g[i] * 0.4f, c.b[i] * 0.4f);
        });
        double wheelW = 0.2 * cw;
        c.box(x - cw / 2 + 0.03 * cw, y - 0.25 * s, x - cw / 2 + 0.03 * cw + wheelW, y, CAR,
                (px, py, id) -> c.set(px, py, id, 20, 20, 22));
        c.box(x + cw / 2 - 0.03 * cw - wheelW, y - 0.25 * s, x + cw / 2 - 0.03 * cw, y, CAR,
                (px, py, id) -> c.set(px, py, id, 20, 20, 22));
        c.box(x - cw / 2, body1, x + cw / 2, body0, CAR, (px, py, id) -> {
            double fy = (py + 0.5 - body1) / (body0 - body1);
            double fx = Math.abs(px + 0.5 - x) / (cw / 2);
            boolean light = fy < 0.35 && fx > 0.72;
            boolean plate = fy > 0.45 && fy < 0.75 && fx < 0.18;
            if (light) {
                c.set(px, py, id, 210, 30, 30);
            } else if (plate) {
                c.set(px, py, id, 230, 230, 225);
            } else {
                c.set(px, py, id, paint, (float) (1.1 - 0.35 * fy));
            }
        });
        c.box(x - cw * 0.43, roof, x + cw * 0.43, body1, CAR, (px, py, id) -> {
            double fy = (py + 0.5 - roof) / (body1 - roof);
            double half = 0.36 + 0.07 * fy; // the cabin widens downwards
            double fx = Math.abs(px + 0.5 - x) / cw;
            if (fx > half) {
                return;
            }
            boolean pillar = fx > half - 0.06 || fy < 0.15;
            if (pillar) {
                c.set(px, py, id, paint, 0.95f);
            } else {
                c.set(px, py, id, glass, 0.9f + 0.25f * (float) fy);
            }
        });
    }

    // ---------------------------------------------------------------- lighting, noise, quantisation

    private SynthImage finish() {
        float light = (float) u(0.65, 1.25);
        float tr = (float) u(0.92, 1.08);
        float tg = (float) u(0.95, 1.05);
        float tb = (float) u(0.92, 1.08);
        double grad = u(-0.25, 0.25);
        double sigma = u(2, 7);
        byte[] rgb = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float lf = light * (float) (1 + grad * ((x + 0.5) / w - 0.5));
                rgb[3 * i] = quantise(c.r[i] * lf * tr + gauss(sigma));
                rgb[3 * i + 1] = quantise(c.g[i] * lf * tg + gauss(sigma));
                rgb[3 * i + 2] = quantise(c.b[i] * lf * tb + gauss(sigma));
            }
        }
        return new SynthImage(h, w, rgb, c.label);
    }

    /** Approximately normal noise from four uniforms: exact arithmetic, so identical on every JVM. */
    private float gauss(double sigma) {
        double sum = rng.nextDouble() + rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 2;
        return (float) (sum * 1.7320508075688772 * sigma);
    }

    private static byte quantise(float v) {
        int q = Math.round(v);
        return (byte) (q < 0 ? 0 : Math.min(q, 255));
    }
}
