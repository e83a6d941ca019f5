// Code written against the client generated from v1.yaml, the way the client's README
// (`generated-client/README.md`) says to write it: request structs built with `new` and `with_` setters, enums matched with a
// catch-all arm. The test compiles it, unchanged, against the crates generated from later
// releases; `api` is the crate under test.

use api::types::{NewThing, Thing, ThingRef, ThingStatus};
use api::Client;

fn describe(thing: &Thing) -> String {
    let status = match &thing.status {
        ThingStatus::Active => "active",
        ThingStatus::Archived => "archived",
        ThingStatus::Unknown(other) => other.as_str(),
        _ => "something newer",
    };
    let parent = thing.parent.as_ref().map_or(0, |p| p.id);
    format!("{} {} {status} (parent {parent})", thing.id, thing.name)
}

async fn work(client: &Client) -> api::Result<Vec<String>> {
    let things = client.things().list_things().state(ThingStatus::Active).page(2).send().await?;
    let mut lines: Vec<String> = things.body().iter().map(describe).collect();

    let parent = ThingRef::new(7).with_label("seven");
    let created = client.things().create_thing("a thing").tags(vec!["x".to_owned()]).parent(parent.clone()).send().await?;
    lines.push(describe(created.body()));

    // The body type on its own, as a tool that stores or sends drafts would build it.
    let draft = NewThing::new("draft").with_tags(vec![]).with_parent(parent);
    lines.push(draft.name.clone());

    let one = client.things().get_thing(created.body().id).send().await?.into_body();
    lines.push(describe(&one));
    Ok(lines)
}

fn main() {
    let client = Client::builder().base_url("http://127.0.0.1:9").build().expect("a client");
    // Type-checks every call above; nothing is sent.
    drop(work(&client));
}
