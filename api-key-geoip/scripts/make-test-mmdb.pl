#!/usr/bin/env perl
# Writes the small MaxMind-format country database the tests of api-key-geoip (and the starter) read:
# documentation address ranges (RFC 5737, RFC 3849) mapped to countries chosen for the tests. Made-up data,
# no GeoLite2 or GeoIP2 content. Needs Debian's libmaxmind-db-writer-perl:
#
#   apt-get install -y libmaxmind-db-writer-perl
#   perl api-key-geoip/scripts/make-test-mmdb.pl api-key-geoip/src/test/resources/dev/apikey/geoip/test-country.mmdb
#
# The ranges and their countries (203.0.113.0/24 is left out: an address the database does not know):
#   192.0.2.0/24    DE
#   198.51.100.0/24 US
#   2001:db8::/32   FR
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $out = shift or die "usage: $0 <out.mmdb>\n";

my %types = (
    country    => 'map',
    iso_code   => 'utf8_string',
    geoname_id => 'uint32',
    names      => 'map',
    en         => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => 'GeoIP2-Country',
    languages                => ['en'],
    description              => { en => 'api-key test data: documentation ranges, made-up countries' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    # The documentation ranges are reserved networks, which the writer leaves out unless told otherwise.
    remove_reserved_networks => 0,
);

sub country {
    my ($iso, $id, $name) = @_;
    return { country => { iso_code => $iso, geoname_id => $id, names => { en => $name } } };
}

$tree->insert_network('192.0.2.0/24',    country('DE', 2921044, 'Germany'));
$tree->insert_network('198.51.100.0/24', country('US', 6252001, 'United States'));
$tree->insert_network('2001:db8::/32',   country('FR', 3017382, 'France'));

open my $fh, '>:raw', $out or die "cannot write $out: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot close $out: $!\n";
