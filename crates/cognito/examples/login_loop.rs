//! Logs in with SRP `N` times in a row and prints the latencies and the resident
//! memory as JSON (used by `bench/client.sh` against `cognito serve`).
//!
//! `login_loop ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD N`

use std::time::Instant;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, pool_id, client_id, username, password, n] = args.as_slice() else {
        return Err("usage: login_loop ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD N".into());
    };
    let n: usize = n.parse()?;
    let cognito = cognito::Cognito::builder()
        .pool_id(pool_id)
        .client_id(client_id)
        .endpoint_url(endpoint)
        .build()?;
    let warm_up = (n / 10).max(1);
    let (mut latencies, mut rss_warm) = (Vec::with_capacity(n), 0);
    for i in 0..n {
        let started = Instant::now();
        let tokens = cognito.login(username, password).await?.into_tokens()?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(tokens.claims().is_some());
        if i + 1 == warm_up {
            rss_warm = rss_kib();
        }
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "{}",
        serde_json::json!({
            "logins": n, "p50_ms": at(0.5), "p99_ms": at(0.99),
            "rss_after_warm_up_kib": rss_warm, "rss_end_kib": rss_kib(), "warm_up": warm_up,
        })
    );
    Ok(())
}
