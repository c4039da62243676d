#!/usr/bin/python3
"""Reference numbers for tests/analysis, printed for pasting into the tests.

Run: /usr/bin/python3 tests/analysis/make_reference.py
Generated with NumPy 1.24.2 and SciPy 1.10.1 (Debian 12 python3-numpy / python3-scipy).
Each statistic is computed by a route different from the C++ code: the one-way RM ANOVA by
least-squares model comparison, the two-way RM ANOVA by Kronecker-product projection matrices,
the Greenhouse-Geisser epsilon on a QR contrast basis, the filter by scipy.signal.
"""
import numpy as np
from scipy import signal, stats

np.set_printoptions(precision=17)

# --- One-way RM ANOVA: 6 subjects x 4 conditions (invented scores) ---
Y1 = np.array([[45, 50, 55, 58],
               [42, 42, 45, 47],
               [36, 41, 43, 49],
               [39, 35, 40, 42],
               [51, 55, 59, 62],
               [44, 49, 56, 58]], dtype=float)
n, k = Y1.shape
y = Y1.ravel()
subj = np.kron(np.eye(n), np.ones((k, 1)))
cond = np.kron(np.ones((n, 1)), np.eye(k))
def rss(X):
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.sum((y - X @ beta) ** 2))
rss_full = rss(np.hstack([subj, cond]))
rss_subj = rss(subj)
ss_cond, ss_err = rss_subj - rss_full, rss_full
df1, df2 = k - 1, (n - 1) * (k - 1)
F = (ss_cond / df1) / (ss_err / df2)
print("oneway ss_cond %.17g ss_err %.17g F %.17g p %.17g" % (ss_cond, ss_err, F, stats.f.sf(F, df1, df2)))
q, _ = np.linalg.qr(np.hstack([np.ones((k, 1)), np.random.default_rng(0).normal(size=(k, k - 1))]))
C = q[:, 1:]
S = np.cov(Y1 @ C, rowvar=False)
eps = np.trace(S) ** 2 / ((k - 1) * np.trace(S @ S))
print("oneway epsilon_gg %.17g p_gg %.17g" % (eps, stats.f.sf(F, eps * df1, eps * df2)))

# --- Two-way RM ANOVA: 5 subjects x 3 (A) x 4 (B) ---
rng = np.random.default_rng(2024)
Y2 = np.round(10 + rng.normal(size=(5, 3, 4)) * 2 + np.arange(3)[None, :, None] * 1.5
              + np.arange(4)[None, None, :] * 0.8 + np.outer([0, 1, -1], [0, 0.5, 1, 2])[None], 1)
print("twoway data", Y2.tolist())
n, a, b = Y2.shape
y = Y2.ravel()
M = lambda m: np.ones((m, m)) / m
Q = lambda m: np.eye(m) - M(m)
K3 = lambda A, B, C: np.kron(np.kron(A, B), C)
ss = {name: float(y @ K3(*P) @ y) for name, P in {
    "A": (M(n), Q(a), M(b)), "B": (M(n), M(a), Q(b)), "AB": (M(n), Q(a), Q(b)),
    "AS": (Q(n), Q(a), M(b)), "BS": (Q(n), M(a), Q(b)), "ABS": (Q(n), Q(a), Q(b))}.items()}
for eff, err, d1, d2 in [("A", "AS", a - 1, (a - 1) * (n - 1)), ("B", "BS", b - 1, (b - 1) * (n - 1)),
                         ("AB", "ABS", (a - 1) * (b - 1), (a - 1) * (b - 1) * (n - 1))]:
    F = (ss[eff] / d1) / (ss[err] / d2)
    print("twoway %s ss %.17g ss_err %.17g F %.17g p %.17g" % (eff, ss[eff], ss[err], F, stats.f.sf(F, d1, d2)))
def contrasts(m, seed):
    q, _ = np.linalg.qr(np.hstack([np.ones((m, 1)), np.random.default_rng(seed).normal(size=(m, m - 1))]))
    return q[:, 1:]
def gg(scores, C):
    S = np.cov(scores @ C, rowvar=False).reshape(C.shape[1], C.shape[1])
    return np.trace(S) ** 2 / (C.shape[1] * np.trace(S @ S))
Ca, Cb = contrasts(a, 1), contrasts(b, 2)
print("twoway epsilon A %.17g B %.17g AB %.17g" % (
    gg(Y2.mean(axis=2), Ca), gg(Y2.mean(axis=1), Cb), gg(Y2.reshape(n, a * b), np.kron(Ca, Cb))))

# --- Butterworth high-pass, order 9, cutoff fs/8 ---
sos = signal.butter(9, 0.25, "highpass", output="sos")
z, p, kk = signal.butter(9, 0.25, "highpass", output="zpk")
print("poles", sorted(p, key=lambda c: (c.real, c.imag)))
w, h = signal.sosfreqz(sos, worN=[np.pi / 4, np.pi / 8, np.pi / 16])
print("|H| dB at fc, fc/2, fc/4:", 20 * np.log10(np.abs(h)))
kidx = np.arange(100)
x = np.sin(0.3 * kidx) + 0.5 * np.sin(2.1 * kidx) + 0.01 * kidx
yf = signal.sosfiltfilt(sos, x)
print("sosfiltfilt at 0, 10, 50, 99:", [repr(float(yf[i])) for i in (0, 10, 50, 99)])

# --- Correlations and t-tests on fixed small vectors ---
xs = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
ys = np.array([2.1, 3.9, 6.2, 7.8, 9.9, 12.2, 13.8, 16.5]) - 0.3 * xs ** 2 + np.array([0, 1, 0, 1, 0, 1, 0, 1])
zs = np.array([0.5, 0.1, 0.9, 0.4, 0.8, 0.2, 0.7, 0.3])
r = stats.pearsonr(xs, ys)
print("pearson r %.17g p %.17g" % (r[0], r[1]))
r = stats.spearmanr(xs, ys)
print("spearman r %.17g p %.17g" % (r[0], r[1]))
rx = xs - np.polyval(np.polyfit(zs, xs, 1), zs)
ry = ys - np.polyval(np.polyfit(zs, ys, 1), zs)
pr = np.corrcoef(rx, ry)[0, 1]
t = pr * np.sqrt((len(xs) - 3) / (1 - pr ** 2))
print("partial r %.17g p %.17g" % (pr, 2 * stats.t.sf(abs(t), len(xs) - 3)))
t = stats.ttest_1samp(ys, 3.0)
print("one-sample t %.17g p %.17g" % (t.statistic, t.pvalue))
t = stats.ttest_rel(ys, zs)
print("paired t %.17g p %.17g" % (t.statistic, t.pvalue))
t = stats.ttest_ind(ys, zs[:5], equal_var=False)
print("welch t %.17g p %.17g" % (t.statistic, t.pvalue))
