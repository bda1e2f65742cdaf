use super::*;

fn ready(n: &str) -> PushEvent {
    PushEvent::Ready {
        subscriber: n.into(),
    }
}

fn drain(rx: &mut mpsc::Receiver<Numbered>) -> Vec<Numbered> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

#[test]
fn a_key_holds_a_bounded_number_of_streams_the_newest_winning() {
    let p = Push::default();
    let mut live: Vec<_> = (0..MAX_STREAMS_PER_KEY)
        .map(|_| p.subscribe("holder:a", None))
        .collect();
    // One more: the oldest stream ends, the key still holds the cap.
    let _newest = p.subscribe("holder:a", None);
    assert_eq!(p.subscribers(), MAX_STREAMS_PER_KEY);
    assert!(live[0].try_recv().is_err() && live[0].is_closed());
    assert!(!live[1].is_closed());
    // Another key is not affected.
    let _other = p.subscribe("holder:b", None);
    // A client that goes away frees its place at once, without a push to its key.
    live.pop();
    let _again = p.subscribe("holder:a", None);
    assert_eq!(p.subscribers(), MAX_STREAMS_PER_KEY + 1);
    assert!(!live[1].is_closed());
}

#[test]
fn a_client_reconnecting_with_its_last_event_id_gets_what_it_missed_then_the_live_ones() {
    let p = Push::default();
    let mut first = p.subscribe("terminal:t", None);
    p.send("terminal:t", &ready("1"));
    let seen = drain(&mut first);
    let last = seen[0].id.clone().unwrap();
    drop(first);
    // Two events while the client is away.
    p.send("terminal:t", &ready("2"));
    p.send("terminal:t", &ready("3"));
    let mut back = p.subscribe("terminal:t", Some(&last));
    p.send("terminal:t", &ready("4"));
    let got: Vec<PushEvent> = drain(&mut back).into_iter().map(|n| n.event).collect();
    assert_eq!(got, vec![ready("2"), ready("3"), ready("4")]);
    // Up to date: nothing replayed.
    let mut current = p.subscribe("terminal:t", Some(&p.id(4)));
    assert!(drain(&mut current).is_empty());
}

#[test]
fn a_client_that_missed_too_much_or_comes_from_another_process_is_told_to_resync() {
    let p = Push::default();
    let _keep = p.subscribe("holder:h", None);
    for i in 0..RESUME_EVENTS + 2 {
        p.send("holder:h", &ready(&i.to_string()));
    }
    let now = p.id((RESUME_EVENTS + 2) as u64);
    for last in [p.id(1), "0badcafe.3".to_string(), "garbage".to_string()] {
        let mut rx = p.subscribe("holder:h", Some(&last));
        let got = drain(&mut rx);
        assert_eq!(got.len(), 1, "{last}");
        assert_eq!(got[0].event, PushEvent::Resync {});
        assert_eq!(
            got[0].id.as_deref(),
            Some(now.as_str()),
            "resync carries the current id"
        );
    }
}
