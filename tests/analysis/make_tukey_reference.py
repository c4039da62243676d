#!/usr/bin/python3
"""Reference numbers for the Tukey HSD tests (tests/analysis/test_tukey.cpp), printed for pasting.

Run: python3 tests/analysis/make_tukey_reference.py   (standard library only; about 15 s)

The studentised range distribution is integrated by a route different from the C++ code
(analysis/src/studentised_range.cpp, which integrates the upper tail by adaptive Gauss-Kronrod):
here the lower tail P(q; k, nu) = int f_nu(s) k int phi(z) [Phi(z) - Phi(z - q s)]^(k-1) dz ds by
composite Simpson rules on fixed grids (z in [-10, 10], s in [0, 1 + 12/sqrt(nu)]), summed with
math.fsum, and p = 1 - P. Halving both steps changes the printed p-values by less than 1e-9.
The Tukey statistics follow the textbook recipe: q = |m_i - m_j| / sqrt(MS_error / n) with the
RM ANOVA's error term, the sums of squares written out here from their definitions.
"""
import math


def simpson(f, a, b, n):
    """Composite Simpson rule with n (even) intervals."""
    h = (b - a) / n
    terms = [f(a), f(b)]
    terms += [(4 if i % 2 else 2) * f(a + i * h) for i in range(1, n)]
    return math.fsum(terms) * h / 3


def phi(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def Phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def range_cdf(q, k, nz):
    """P(range of k standard normals <= q)."""
    return k * simpson(lambda z: phi(z) * (Phi(z) - Phi(z - q)) ** (k - 1), -10.0, 10.0, nz)


def studentised_range_cdf(q, k, nu, nz=800, ns=1200):
    log_norm = math.log(2) + 0.5 * nu * math.log(0.5 * nu) - math.lgamma(0.5 * nu)
    def density(s):
        return 0.0 if s <= 0 else math.exp(log_norm + (nu - 1) * math.log(s) - 0.5 * nu * s * s)
    lo, hi = max(0.0, 1 - 12 / math.sqrt(nu)), 1 + 12 / math.sqrt(nu)
    return simpson(lambda s: density(s) * range_cdf(q * s, k, nz), lo, hi, ns)


def upper_tail(q, k, nu):
    return 1.0 - studentised_range_cdf(q, k, nu)


def oneway(y):
    """One-way RM ANOVA error term: level means, MS_error, df_error, n."""
    n, k = len(y), len(y[0])
    grand = sum(map(sum, y)) / (n * k)
    level = [sum(row[j] for row in y) / n for j in range(k)]
    subject = [sum(row) / k for row in y]
    ss_error = sum((y[i][j] - level[j] - subject[i] + grand) ** 2 for i in range(n) for j in range(k))
    df_error = (n - 1) * (k - 1)
    return level, ss_error / df_error, df_error, n


def tukey(name, means, ms_error, df_error, n):
    k = len(means)
    se = math.sqrt(ms_error / n)
    print(name, "means", [repr(m) for m in means], "ms_error %r df_error %d" % (ms_error, df_error))
    for i in range(k):
        for j in range(i + 1, k):
            q = abs(means[j] - means[i]) / se
            print("  pair (%d, %d): difference %r q %r p %.12g" % (i, j, means[j] - means[i], q,
                                                                   upper_tail(q, k, df_error)))


# Published table values (Harter 1960, Ann. Math. Statist. 31:1122, 4 significant figures): the
# probability below each must be within a unit in the last place of the quantile.
for q, k, nu, p in [(3.877, 3, 10, 0.95), (4.232, 5, 20, 0.95), (5.270, 3, 10, 0.99)]:
    print("table q=%g k=%d nu=%d: P = %.9f (expected %g)" % (q, k, nu, studentised_range_cdf(q, k, nu), p))

# The 6 x 4 one-way data of make_reference.py (its RM ANOVA: SS_error 75.458333, df 15).
Y1 = [[45, 50, 55, 58], [42, 42, 45, 47], [36, 41, 43, 49], [39, 35, 40, 42], [51, 55, 59, 62], [44, 49, 56, 58]]
tukey("oneway", *oneway(Y1))

# A 4 x 3 example small enough to check by hand: level means 2, 3, 5.5.
Y3 = [[1, 3, 5], [2, 2, 6], [3, 4, 5], [2, 3, 6]]
tukey("small", *oneway(Y3))
