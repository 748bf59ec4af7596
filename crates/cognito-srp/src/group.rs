//! The RFC 5054 3072-bit group, `g = 2`, `k`, and constant-time exponentiation.
//!
//! Every exponentiation whose exponent is secret (a, b, x, and anything mixed
//! with them) runs in time that depends only on the exponent's public bit
//! bound, never on its value. Powers of the fixed generator use a precomputed
//! table (4-bit windows over 256 bits, 64 multiplications and constant-time
//! lookups instead of 256 squarings); wider exponents use crypto-bigint's
//! windowed constant-time `pow`.

use std::sync::LazyLock;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U3072};
use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use crate::SrpError;
use crate::encoding::{enc_uint, uint_from_be};

/// A number in Montgomery form modulo N.
pub(crate) type Monty = FixedMontyForm<{ U3072::LIMBS }>;

/// The 3072-bit safe prime of RFC 5054 (also RFC 3526 group 15).
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183",
    "995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A8",
    "5521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7AB",
    "F5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D8",
    "7602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208",
    "E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator.
pub const G: u8 = 2;

/// Exponents up to this many bits use the fixed-base table for `g`.
const TABLE_BITS: u32 = 256;
/// Width of the scrambler u, a SHA-256 value.
const U_BITS: u32 = 256;
const WINDOW: u32 = 4;
const WINDOWS: usize = (TABLE_BITS / WINDOW) as usize;
const ENTRIES: usize = 1 << WINDOW;

/// A secret exponent with the public bound on its width; zeroized on drop.
pub(crate) struct Exponent {
    value: U3072,
    bits: u32,
}

impl Exponent {
    /// An exponent from big-endian bytes; its bound is the byte length, which is public.
    pub(crate) fn from_be(be: &[u8]) -> Result<Self, SrpError> {
        let value = uint_from_be("secret exponent", be)?;
        if bool::from(value.ct_eq(&U3072::ZERO)) {
            return Err(SrpError::ZeroSecret);
        }
        let bits = u32::try_from(be.len() * 8).map_err(|_| SrpError::ValueTooLarge("secret"))?;
        Ok(Self { value, bits })
    }

    /// A public-width exponent from a value known to be below `2^bits`.
    pub(crate) fn from_uint(value: U3072, bits: u32) -> Self {
        Self { value, bits }
    }

    /// The public bound on the exponent's width.
    pub(crate) fn bits(&self) -> u32 {
        self.bits
    }

    /// `self + u·x`, the client's exponent for S; its bound is the wider of the two plus a carry bit.
    pub(crate) fn plus_product(&self, u: &U3072, x: &Exponent) -> Self {
        let product = u.wrapping_mul(&x.value);
        let value = self.value.wrapping_add(&product);
        let bits = self.bits.max(U_BITS + x.bits) + 1;
        Self {
            value,
            bits: bits.min(U3072::BITS),
        }
    }

    pub(crate) fn value(&self) -> &U3072 {
        &self.value
    }
}

impl Drop for Exponent {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// The group and its precomputed values.
pub(crate) struct Group {
    n: U3072,
    params: FixedMontyParams<{ U3072::LIMBS }>,
    k: Monty,
    /// `table[i][j] = g^(j · 16^i)` in Montgomery form.
    table: Box<[[U3072; ENTRIES]; WINDOWS]>,
}

static GROUP: LazyLock<Group> = LazyLock::new(Group::new);

/// The group, built on first use (about 1,000 multiplications for the table).
pub(crate) fn group() -> &'static Group {
    &GROUP
}

impl Group {
    fn new() -> Self {
        let n = U3072::from_be_hex(N_HEX);
        let params = FixedMontyParams::new_vartime(Odd::new(n).expect("N is odd"));
        let g = Monty::new(&U3072::from_u8(G), &params);
        let mut hasher = Sha256::new();
        hasher.update(enc_uint(&n));
        hasher.update([G]);
        let k_value = uint_from_be("k", &hasher.finalize()).expect("a hash fits the group");
        let k = Monty::new(&k_value, &params);

        let mut table = Box::new([[U3072::ZERO; ENTRIES]; WINDOWS]);
        let mut base = g; // g^(16^i)
        for row in table.iter_mut() {
            let mut acc = Monty::one(&params);
            for entry in row.iter_mut() {
                *entry = acc.to_montgomery();
                acc *= base;
            }
            base = acc; // g^(16 · 16^i)
        }
        Self {
            n,
            params,
            k,
            table,
        }
    }

    /// N.
    pub(crate) fn n(&self) -> &U3072 {
        &self.n
    }

    /// k = H(enc(N) ‖ enc(g)), in Montgomery form.
    pub(crate) fn k(&self) -> &Monty {
        &self.k
    }

    /// `value mod N` in Montgomery form, for public values below 2^3072.
    pub(crate) fn monty(&self, value: &U3072) -> Monty {
        Monty::new(value, &self.params)
    }

    /// Whether `value ≡ 0 (mod N)`, for public values below 2^3072 (so below 2N).
    pub(crate) fn is_zero_mod_n(&self, value: &U3072) -> bool {
        bool::from(value.ct_eq(&U3072::ZERO) | value.ct_eq(&self.n))
    }

    /// `base^e mod N` in constant time for the exponent's bound.
    pub(crate) fn pow(&self, base: &Monty, e: &Exponent) -> Monty {
        base.pow_bounded_exp(&e.value, e.bits)
    }

    /// `g^e mod N` in constant time for the exponent's bound.
    pub(crate) fn pow_g(&self, e: &Exponent) -> Monty {
        if e.bits > TABLE_BITS {
            return self.pow(&self.monty(&U3072::from_u8(G)), e);
        }
        let mut bytes = e.value.to_be_bytes();
        let le_bytes = bytes.as_ref().iter().rev();
        let mut acc = Monty::one(&self.params);
        for (pair, byte) in self.table.chunks_exact(2).zip(le_bytes) {
            for (row, nibble) in pair.iter().zip([byte & 0x0f, byte >> 4]) {
                let mut chosen = row[0];
                for (j, entry) in row.iter().enumerate().skip(1) {
                    chosen.conditional_assign(entry, (j as u8).ct_eq(&nibble));
                }
                acc *= Monty::from_montgomery(chosen, &self.params);
            }
        }
        bytes.as_mut().zeroize();
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_matches_the_published_value() {
        let k = group().k().retrieve();
        assert_eq!(
            crate::encoding::hex_unpadded(&k),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn the_table_agrees_with_plain_exponentiation() {
        let g = group().monty(&U3072::from_u8(G));
        for hex in ["1", "f", "10", "ff01", &"e".repeat(64), &"1".repeat(63)] {
            let be = crate::encoding::parse_hex("e", hex).unwrap();
            let e = Exponent::from_be(&be).unwrap();
            let wide = Exponent {
                value: e.value,
                bits: 3072,
            };
            assert_eq!(
                group().pow_g(&e),
                g.pow_bounded_exp(&wide.value, wide.bits),
                "{hex}"
            );
        }
    }
}
