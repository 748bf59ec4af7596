//! For any user, password and pool, client and server agree; a wrong password never verifies.

mod common;

use cognito_srp::{ServerEphemeral, SrpError};
use common::Exchange;
use proptest::prelude::*;

fn pool_id() -> impl Strategy<Value = String> {
    ("[a-z]{2}-[a-z]{4,9}-[1-9]", "[0-9A-Za-z]{1,20}").prop_map(|(r, n)| format!("{r}_{n}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn client_and_server_agree(pool in pool_id(), user in "\\PC{1,40}", password in "\\PC{0,64}") {
        let x = Exchange::new(&pool, &user, &password);
        prop_assert_eq!(x.verify(&x.answer(&password)), Ok(()));
        prop_assert!(x.verifier.matches_password(&x.identity, &password));
    }

    #[test]
    fn a_wrong_password_never_verifies(
        pool in pool_id(), user in "\\PC{1,40}", password in "\\PC{0,64}", other in "\\PC{0,64}",
    ) {
        prop_assume!(password != other);
        let x = Exchange::new(&pool, &user, &password);
        prop_assert_eq!(x.verify(&x.answer(&other)), Err(SrpError::SignatureMismatch));
        prop_assert!(!x.verifier.matches_password(&x.identity, &other));
    }

    #[test]
    fn a_restored_server_ephemeral_is_the_same(pool in pool_id(), user in "[a-z0-9-]{1,36}") {
        let x = Exchange::new(&pool, &user, "pw");
        let restored = ServerEphemeral::from_secret(&x.verifier, &x.server.secret()).unwrap();
        prop_assert_eq!(restored.srp_b(), x.server.srp_b());
        // Restored from what a server keeps (b and the SRP_B it sent): the same checks.
        let kept = ServerEphemeral::restore(&x.server.secret(), &x.server.srp_b()).unwrap();
        prop_assert_eq!(kept.srp_b(), x.server.srp_b());
        prop_assert_eq!(x.verify_with(&kept, &x.answer("pw")), Ok(()));
        prop_assert_eq!(
            x.verify_with(&kept, &x.answer("other")),
            Err(SrpError::SignatureMismatch)
        );
    }
}
